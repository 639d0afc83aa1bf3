using System.Globalization;

namespace Jobwright.Model;

/// <summary>Durations as people write them: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>7d</c>, or plain seconds.</summary>
public static class DurationText
{
    /// <summary>Parses a duration; false when it is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        (string Number, double Scale) parts =
            text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1)
            : text.EndsWith('m') ? (text[..^1], 60)
            : text.EndsWith('h') ? (text[..^1], 3600)
            : text.EndsWith('d') ? (text[..^1], 86400)
            : (text, 1);
        if (double.TryParse(parts.Number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value) && value * parts.Scale < TimeSpan.MaxValue.TotalSeconds)
        {
            duration = TimeSpan.FromSeconds(value * parts.Scale);
            return true;
        }

        return false;
    }

    /// <summary>A duration as this class reads it: <c>2s</c>, <c>1.5s</c>, <c>5m</c>, <c>2h</c>, <c>3d</c>, <c>500ms</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        return duration.TotalMilliseconds < 1000 ? $"{duration.TotalMilliseconds.ToString("0.###", ci)}ms"
            : duration.TotalSeconds < 60 || duration.TotalSeconds % 60 != 0 && duration.TotalMinutes < 60 ? $"{duration.TotalSeconds.ToString("0.###", ci)}s"
            : duration.TotalMinutes < 60 || duration.TotalMinutes % 60 != 0 && duration.TotalHours < 24 ? $"{duration.TotalMinutes.ToString("0.###", ci)}m"
            : duration.TotalHours < 24 || duration.TotalHours % 24 != 0 ? $"{duration.TotalHours.ToString("0.###", ci)}h"
            : $"{duration.TotalDays.ToString("0.###", ci)}d";
    }
}
