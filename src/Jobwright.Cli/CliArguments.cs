using System.CommandLine;
using System.Globalization;
using Jobwright.Model;

namespace Jobwright.Cli;

/// <summary>Arguments and options several commands share, each refusing bad input with a message that says what to give.</summary>
internal static class CliArguments
{
    public static Argument<long> JobId() => new("ID")
    {
        Description = "The job's id.",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                return id;
            }

            result.AddError($"'{text}' is not a job id; a job id is a positive whole number, e.g. 42.");
            return 0;
        },
    };

    /// <summary>A job id that may be left out (a command that takes --filter instead).</summary>
    public static Argument<long?> OptionalJobId() => new("ID")
    {
        Description = "The job's id (or --filter for every job that matches).",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }

            var text = result.Tokens[0].Value;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                return id;
            }

            result.AddError($"'{text}' is not a job id; a job id is a positive whole number, e.g. 42.");
            return null;
        },
    };

    public static Option<TimeSpan?> Timeout(string description) => new("--timeout")
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (DurationText.TryParse(text, out var duration))
            {
                return duration;
            }

            result.AddError($"--timeout '{text}' is not a duration; use e.g. 30s, 5m, 500ms or 1h.");
            return null;
        },
    };
}
