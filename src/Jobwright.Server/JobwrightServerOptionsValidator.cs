using Microsoft.Extensions.Options;

namespace Jobwright.Server;

/// <summary>Checks <see cref="JobwrightServerOptions"/> when the host starts, naming the option and the fix.</summary>
internal sealed class JobwrightServerOptionsValidator : IValidateOptions<JobwrightServerOptions>
{
    public const long SmallestBody = 1024;

    public ValidateOptionsResult Validate(string? name, JobwrightServerOptions options) =>
        options.MaxRequestBodyBytes < SmallestBody
            ? ValidateOptionsResult.Fail($"JobwrightServerOptions.MaxRequestBodyBytes is {options.MaxRequestBodyBytes} bytes: use at least {SmallestBody}.")
            : ValidateOptionsResult.Success;
}
