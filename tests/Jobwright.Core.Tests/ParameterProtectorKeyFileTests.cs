using Jobwright.Engine;

namespace Jobwright.Core.Tests;

/// <summary>The key file of sensitive parameters: created private, and refused when shared where that is required.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ParameterProtectorKeyFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-key-").FullName;

    private string KeyPath => Path.Combine(_directory, "jobwright.key");

    [Fact]
    public void A_new_key_file_is_readable_by_its_owner_only()
    {
        _ = new ParameterProtector(KeyPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
    }

    [Fact]
    public void A_key_file_others_may_read_is_refused_when_a_private_one_is_required_naming_the_file_and_the_fix()
    {
        _ = new ParameterProtector(KeyPath);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<InvalidOperationException>(() => new ParameterProtector(KeyPath, requirePrivate: true));
        Assert.Contains(KeyPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_key_file_is_accepted_when_a_private_one_is_required()
    {
        _ = new ParameterProtector(KeyPath);
        _ = new ParameterProtector(KeyPath, requirePrivate: true);
    }

    [Fact]
    public void A_shared_key_file_is_still_accepted_when_nothing_requires_a_private_one()
    {
        _ = new ParameterProtector(KeyPath);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        _ = new ParameterProtector(KeyPath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("c2hvcnQ=")]
    public void An_empty_or_short_key_file_is_refused_at_once_naming_the_file(string content)
    {
        File.WriteAllText(KeyPath, content);
        var error = Assert.Throws<InvalidOperationException>(() => new ParameterProtector(KeyPath));
        Assert.Contains(KeyPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("not 32", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
