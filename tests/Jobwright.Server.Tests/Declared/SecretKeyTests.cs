namespace Jobwright.Server.Tests.Declared;

/// <summary>Sensitive parameters need the key they were stored with; without it the job cannot start, and says why.</summary>
public sealed class SecretKeyTests
{
    [Fact]
    public async Task A_job_whose_secrets_cannot_be_decrypted_ends_FAILED_TO_START_with_the_reason()
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
        var file = DeclaredTestFiles.Write(directory);
        var database = Path.Combine(directory, "jobwright.db");
        long id;
        await using (var first = await TestNode.StartAsync(settings: s => s with { OperationsFile = file, SqlitePath = database }))
        {
            id = await first.SubmitIdAsync(new { operation = "Archive", parameters = new { path = "/data/z", token = "s3cret" }, notBefore = DateTimeOffset.UtcNow.AddSeconds(2) });
        }

        File.Delete(database + ".key");
        await using var second = await TestNode.StartAsync(settings: s => s with { OperationsFile = file, SqlitePath = database });
        var job = await second.WaitForTerminalAsync(id);
        Assert.Equal("FAILED_TO_START", TestNode.Status(job));
        Assert.Contains("could not be decrypted", job["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
