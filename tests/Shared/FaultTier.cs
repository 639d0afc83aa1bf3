using System.Globalization;
using Xunit;

namespace Jobwright.Testing;

/// <summary>
/// The settings that turn a fault test's fast tier (the README's test command) into its full tier
/// (docs/reliability.md). A mistyped setting fails the run instead of quietly running the fast tier.
/// </summary>
internal static class FaultTier
{
    public static int Setting(string name, int fallback, int minimum)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        Assert.True(
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum,
            $"{name} is '{text}': give a whole number of at least {minimum}.");
        return value;
    }
}
