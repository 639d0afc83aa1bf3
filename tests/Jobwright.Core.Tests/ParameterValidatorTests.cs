using System.Text.Json.Nodes;
using Jobwright.Handlers;
using Jobwright.Operations;

namespace Jobwright.Core.Tests;

public sealed class ParameterValidatorTests
{
    private static readonly OperationDefinition Operation = new()
    {
        Name = "Archive",
        Group = "Files",
        CreateHandler = _ => throw new InvalidOperationException(),
        Parameters =
        [
            new("path", ParameterType.String) { Required = true, Pattern = "^/[a-z/]+$" },
            new("level", ParameterType.Integer) { Default = JsonValue.Create(6L), Minimum = 1, Maximum = 9 },
            new("ratio", ParameterType.Number),
            new("force", ParameterType.Boolean),
            new("mode", ParameterType.String) { Enum = ["fast", "safe"] },
        ],
    };

    [Fact]
    public void Strings_are_converted_to_the_declared_types_as_the_HMC_sends_them()
    {
        var (parameters, errors) = ParameterValidator.Validate(Operation, new JsonObject
        {
            ["path"] = "/var/log", ["level"] = "7", ["ratio"] = "0.5", ["force"] = "true", ["mode"] = "safe",
        });
        Assert.Empty(errors);
        Assert.Equal(7L, parameters["level"]!.GetValue<long>());
        Assert.Equal(0.5, parameters["ratio"]!.GetValue<double>());
        Assert.True(parameters["force"]!.GetValue<bool>());
    }

    [Fact]
    public void Defaults_are_filled_in()
    {
        var (parameters, errors) = ParameterValidator.Validate(Operation, new JsonObject { ["path"] = "/a" });
        Assert.Empty(errors);
        Assert.Equal(6L, parameters["level"]!.GetValue<long>());
        Assert.False(parameters.ContainsKey("mode"));
    }

    [Theory]
    [InlineData("{}", "parameters.path")]
    [InlineData("{\"path\":\"/a\",\"level\":\"x\"}", "parameters.level")]
    [InlineData("{\"path\":\"/a\",\"level\":12}", "parameters.level")]
    [InlineData("{\"path\":\"/a\",\"level\":1.5}", "parameters.level")]
    [InlineData("{\"path\":\"relative\"}", "parameters.path")]
    [InlineData("{\"path\":\"/a\",\"mode\":\"slow\"}", "parameters.mode")]
    [InlineData("{\"path\":\"/a\",\"force\":\"yes\"}", "parameters.force")]
    [InlineData("{\"path\":\"/a\",\"ratio\":[1]}", "parameters.ratio")]
    [InlineData("{\"path\":\"/a\",\"colour\":\"red\"}", "parameters.colour")]
    public void A_bad_parameter_is_refused_naming_the_field(string json, string field)
    {
        var (_, errors) = ParameterValidator.Validate(Operation, JsonNode.Parse(json)!.AsObject());
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Typed_values_are_read_back_by_the_handler_API()
    {
        var (parameters, _) = ParameterValidator.Validate(Operation, new JsonObject { ["path"] = "/a", ["force"] = true });
        var typed = new JobParameters(parameters);
        Assert.Equal(6L, typed.Get<long>("level"));
        Assert.True(typed.Get<bool>("force"));
        Assert.Equal("fallback", typed.Get("mode", "fallback"));
        Assert.Throws<KeyNotFoundException>(() => typed.Get<string>("mode"));
    }

    [Fact]
    public void An_operation_with_an_invalid_default_is_refused_when_registered()
    {
        var registry = new OperationRegistry();
        var bad = Operation with { Parameters = [new("level", ParameterType.Integer) { Default = JsonValue.Create("high") }] };
        var error = Assert.Throws<ArgumentException>(() => registry.Add(bad));
        Assert.Contains("level", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_about_a_sensitive_parameter_does_not_repeat_its_value()
    {
        var operation = Operation with { Parameters = [new("token", ParameterType.String) { Sensitive = true, Pattern = "^[a-z]+$" }] };
        var (_, errors) = ParameterValidator.Validate(operation, new JsonObject { ["token"] = "S3CRET-123" });
        var error = Assert.Single(errors);
        Assert.Equal("parameters.token", error.Field);
        Assert.DoesNotContain("S3CRET", error.Message, StringComparison.Ordinal);
    }
}
