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

        foreach (var (option, value) in new[] { ("HmcSessionIdleTimeout", options.HmcSessionIdleTimeout), ("RedfishSessionIdleTimeout", options.RedfishSessionIdleTimeout) })
        {
            if (value < TimeSpan.FromSeconds(1) || value > TimeSpan.FromDays(7))
            {
                return ValidateOptionsResult.Fail($"JobwrightServerOptions.{option} is {value}: use from 1 second to 7 days.");
            }
        }

        return options.RedfishSystems.FirstOrDefault(s => s.Length is 0 or > 64 || !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) is { } bad
            ? ValidateOptionsResult.Fail($"JobwrightServerOptions.RedfishSystems has '{bad}': a system id is 1-64 letters, digits, '-', '_' or '.'.")
            : ValidateOptionsResult.Success;
    }
}
