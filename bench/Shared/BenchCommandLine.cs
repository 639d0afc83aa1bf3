using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Jobwright.Benchmarks;

/// <summary>
/// What both benchmark programs read from their command line, and the median they report: a bad
/// option is a one-line usage error (exit 2), never an exception.
/// </summary>
internal static class BenchCommandLine
{
    /// <summary>The value after <paramref name="name"/>, or null when the option is not given; the option without a value is a usage error.</summary>
    public static string? Text(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0)
        {
            return null;
        }

        if (index + 1 >= args.Length || args[index + 1].StartsWith("--", StringComparison.Ordinal))
        {
            Usage($"{name} needs a value.");
        }

        return args[index + 1];
    }

    /// <summary>A whole number of 1 or more after <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public static int WholeNumber(string[] args, string name, int fallback)
    {
        if (Text(args, name) is not { } text)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            Usage($"{name} takes a whole number of 1 or more, not '{text}'.");
        }

        return value;
    }

    /// <summary>The Npgsql connection string of <c>--postgres URL</c>, or null when it is not given.</summary>
    public static string? Postgres(string[] args)
    {
        try
        {
            return Text(args, "--postgres") is { } url ? Jobwright.PostgreSql.PostgresConnectionString.Parse(url).ToString() : null;
        }
        catch (InvalidOperationException e)
        {
            Usage("--postgres: " + e.Message);
            return null;
        }
    }

    [DoesNotReturn]
    public static void Usage(string message)
    {
        Console.Error.WriteLine("error: " + message);
        Environment.Exit(2);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
