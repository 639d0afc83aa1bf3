using Microsoft.Extensions.Options;

namespace Jobwright.Hosting;

/// <summary>Checks <see cref="JobwrightOptions"/> when the host starts (and on first use), naming each option that is wrong and the fix.</summary>
internal sealed class JobwrightOptionsValidator : IValidateOptions<JobwrightOptions>
{
    public ValidateOptionsResult Validate(string? name, JobwrightOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Failures().ToArray();
        return failures.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
