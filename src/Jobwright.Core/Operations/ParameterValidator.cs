using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobwright.Model;

namespace Jobwright.Operations;

/// <summary>
/// Checks submitted parameters against an operation's schema and converts them to the declared
/// types. Strings are converted, since the HMC sends every value as a string.
/// </summary>
public static class ParameterValidator
{
    /// <summary>The result of converting one value: the typed value, or an error sentence.</summary>
    public readonly record struct Conversion(JsonValue? Value, string? Error);

    /// <summary>Validates <paramref name="given"/>; returns the typed parameters with defaults filled in, or the errors.</summary>
    public static (JsonObject Parameters, IReadOnlyList<FieldError> Errors) Validate(OperationDefinition operation, JsonObject? given)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var errors = new List<FieldError>();
        var result = new JsonObject();
        var declared = operation.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);

        foreach (var (name, _) in given ?? [])
        {
            if (!declared.ContainsKey(name))
            {
                var known = declared.Count == 0 ? "it takes none" : "known: " + string.Join(", ", declared.Keys);
                errors.Add(new($"parameters.{name}", $"Operation '{operation.QualifiedName}' has no parameter '{name}' ({known})."));
            }
        }

        foreach (var parameter in operation.Parameters)
        {
            JsonNode? value = null;
            var present = given is not null && given.TryGetPropertyValue(parameter.Name, out value) && value is not null;
            if (!present)
            {
                if (parameter.Default is not null)
                {
                    result[parameter.Name] = parameter.Default.DeepClone();
                }
                else if (parameter.Required)
                {
                    errors.Add(new($"parameters.{parameter.Name}", $"Parameter '{parameter.Name}' is required ({Describe(parameter)})."));
                }

                continue;
            }

            if (value is not JsonValue scalar)
            {
                errors.Add(new($"parameters.{parameter.Name}", $"Parameter '{parameter.Name}' must be a single value ({Describe(parameter)}), not an object or array."));
                continue;
            }

            var conversion = Convert(parameter, scalar);
            if (conversion.Error is not null)
            {
                errors.Add(new($"parameters.{parameter.Name}", conversion.Error));
            }
            else
            {
                result[parameter.Name] = conversion.Value;
            }
        }

        return (result, errors);
    }

    /// <summary>Converts and checks one value against its declaration.</summary>
    public static Conversion Convert(ParameterDefinition parameter, JsonValue value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(value);
        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        var bad = $"Parameter '{parameter.Name}' must be {Describe(parameter)}; got {Show(parameter, value)}.";
        switch (parameter.Type)
        {
            case ParameterType.String:
                if (text is null)
                {
                    // A number or boolean given for a string parameter is taken as its text.
                    text = value.ToJsonString();
                }

                if (text.Length > parameter.MaxLength)
                {
                    return new(null, $"Parameter '{parameter.Name}' is longer than {parameter.MaxLength} characters.");
                }

                if (ShowableText.FirstUnshowable(text) is var at and >= 0)
                {
                    return new(null, $"Parameter '{parameter.Name}' contains a control character (U+{(int)text[at]:X4} at position {at + 1}); only tab, line feed and carriage return are allowed.");
                }

                if (parameter.Enum is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
                {
                    return new(null, $"Parameter '{parameter.Name}' must be one of {string.Join(", ", allowed)}; got {Show(parameter, value)}.");
                }

                if (parameter.Pattern is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    return new(null, $"Parameter '{parameter.Name}' must match the pattern {pattern}; got {Show(parameter, value)}.");
                }

                return new(JsonValue.Create(text), null);

            case ParameterType.Integer:
                long integer;
                if (text is not null)
                {
                    if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integer))
                    {
                        return new(null, bad);
                    }
                }
                else if (!(value.GetValueKind() == JsonValueKind.Number &&
                    long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out integer)))
                {
                    return new(null, bad);
                }

                return CheckRange(parameter, integer) ?? new(JsonValue.Create(integer), null);

            case ParameterType.Number:
                double number;
                if (text is not null)
                {
                    if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) || !double.IsFinite(number))
                    {
                        return new(null, bad);
                    }
                }
                else if (!(value.GetValueKind() == JsonValueKind.Number &&
                    double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)))
                {
                    return new(null, bad);
                }

                return CheckRange(parameter, number) ?? new(JsonValue.Create(number), null);

            case ParameterType.Boolean:
                bool flag;
                if (text is not null)
                {
                    if (!bool.TryParse(text.Trim(), out flag))
                    {
                        return new(null, bad);
                    }
                }
                else if (value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                {
                    flag = value.GetValue<bool>();
                }
                else
                {
                    return new(null, bad);
                }

                return new(JsonValue.Create(flag), null);

            default:
                throw new ArgumentOutOfRangeException(nameof(parameter), parameter.Type, "Unknown parameter type.");
        }
    }

    private static Conversion? CheckRange(ParameterDefinition parameter, double value)
    {
        var shown = parameter.Sensitive ? "a value that is not shown" : value.ToString(CultureInfo.InvariantCulture);
        if (parameter.Minimum is { } min && value < min)
        {
            return new(null, $"Parameter '{parameter.Name}' must be at least {min.ToString(CultureInfo.InvariantCulture)}; got {shown}.");
        }

        if (parameter.Maximum is { } max && value > max)
        {
            return new(null, $"Parameter '{parameter.Name}' must be at most {max.ToString(CultureInfo.InvariantCulture)}; got {shown}.");
        }

        return null;
    }

    private static string Describe(ParameterDefinition parameter) => parameter.Type switch
    {
        ParameterType.Integer => "an integer",
        ParameterType.Number => "a number",
        ParameterType.Boolean => "true or false",
        _ => parameter.Enum is { } allowed ? "one of " + string.Join(", ", allowed) : "a string",
    };

    private static string Show(ParameterDefinition parameter, JsonValue value)
    {
        if (parameter.Sensitive)
        {
            return "a value that is not shown (the parameter is sensitive)";
        }

        var json = value.ToJsonString();
        return json.Length <= 40 ? json : json[..40] + "…";
    }
}
