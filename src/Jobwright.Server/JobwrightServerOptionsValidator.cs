using Microsoft.Extensions.Options;

namespace Jobwright.Server;

/// <summary>Checks <see cref="JobwrightServerOptions"/> when the host starts, naming the option and the fix.</summary>
internal sealed class JobwrightServerOptionsValidator : IValidateOptions<JobwrightServerOptions>
{
    public const long SmallestBody = 1024;

    public ValidateOptionsResult Validate(string? name, JobwrightServerOptions options)
    {
        if (options.MaxRequestBodyBytes < SmallestBody)
        {
            return ValidateOptionsResult.Fail($"JobwrightServerOptions.MaxRequestBodyBytes is {options.MaxRequestBodyBytes} bytes: use at least {SmallestBody}.");
        }

        return options.HmcSessionIdleTimeout < TimeSpan.FromSeconds(1) || options.HmcSessionIdleTimeout > TimeSpan.FromDays(7)
            ? ValidateOptionsResult.Fail($"JobwrightServerOptions.HmcSessionIdleTimeout is {options.HmcSessionIdleTimeout}: use from 1 second to 7 days.")
            : ValidateOptionsResult.Success;
    }
}
