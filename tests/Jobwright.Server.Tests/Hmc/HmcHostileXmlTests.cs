using System.Net;
using static Jobwright.Server.Tests.Hmc.HmcTestClient;

namespace Jobwright.Server.Tests.Hmc;

/// <summary>Hostile and bad XML gets an HttpErrorResponse (400 or 404) at once, creates nothing, and is never a 500.</summary>
public sealed class HmcHostileXmlTests : HmcTestBase
{
    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <JobRequest xmlns="http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/"><JobParameters><JobParameter><ParameterName>durationMs</ParameterName><ParameterValue>&lol9;</ParameterValue></JobParameter></JobParameters></JobRequest>
        """;

    private const string ExternalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE r [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <JobRequest xmlns="http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/"><JobParameters><JobParameter><ParameterName>failTasks</ParameterName><ParameterValue>&xxe;</ParameterValue></JobParameter></JobParameters></JobRequest>
        """;

    public static TheoryData<string, string, HttpStatusCode> Cases() => new()
    {
        { "/rest/api/uom/Sample/do/Simulate", "<JobRequest xmlns=\"http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/\"><JobParameters>", HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", "not xml at all", HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", BillionLaughs, HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", ExternalEntity, HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", "<LogonRequest xmlns=\"http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/\"/>", HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", "<JobRequest xmlns=\"urn:other\"/>", HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", new string('<', 1) + string.Concat(Enumerable.Repeat("<a>", 100)), HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", "<JobRequest xmlns=\"http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/\">" + string.Concat(Enumerable.Repeat("<x>", 40)) + string.Concat(Enumerable.Repeat("</x>", 40)) + "</JobRequest>", HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/NoSuchOperation", JobRequest("NoSuchOperation", "Sample"), HttpStatusCode.NotFound },
        { "/rest/api/uom/LogicalPartition/lpar-1/do/Migrate", JobRequest("Migrate", "LogicalPartition"), HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", JobRequest("Simulate", "Sample", ("durationMs", "soon")), HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", JobRequest("PowerOn", "LogicalPartition"), HttpStatusCode.BadRequest },
        { "/rest/api/uom/Sample/do/Simulate", JobRequest("Simulate", "Sample", ("tasks", "1"), ("tasks", "2")), HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_XML_gets_an_HttpErrorResponse_and_creates_nothing(string path, string body, HttpStatusCode expected)
    {
        var response = await Hmc.SendAsync(HttpMethod.Put, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        var error = await ObjectAsync(response);
        Assert.Equal("HttpErrorResponse", error.Name.LocalName);
        Assert.Equal($"{(int)expected}", Value(error, "HTTPStatus"));
        Assert.False(string.IsNullOrWhiteSpace(Value(error, "Message")));
        Assert.DoesNotContain("root:", text, StringComparison.Ordinal);
        Assert.Equal(0, await Node.CountJobsAsync());
    }

    [Theory]
    [InlineData("/rest/api/uom/jobs/abc")]
    [InlineData("/rest/api/uom/jobs/-1")]
    [InlineData("/rest/api/uom/jobs/99999")]
    public async Task A_bad_or_unknown_job_id_is_an_HttpErrorResponse(string path)
    {
        var response = await Hmc.SendAsync(HttpMethod.Get, path);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound);
        Assert.Equal("HttpErrorResponse", (await ObjectAsync(response)).Name.LocalName);
    }
}
