using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Jobwright.Cli;

/// <summary>
/// <c>jobwright login USER</c>: logs on to the node with a user's password (read from standard input) and
/// keeps the session in the credentials file, so that later commands need no key; <c>jobwright logout</c>
/// ends it. The session is the HMC API's: it ends after the node's idle time, or with the node.
/// </summary>
internal static class LoginCommand
{
    private static readonly XNamespace Web = "http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/";

    public static Command CreateLogin()
    {
        var user = new Argument<string>("USER") { Description = "The user's name (of the node's users file)." };
        var command = new Command("login", "Log on with a user's password (read from standard input) and keep the session for the next commands.") { user };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryServer(parse, out var server))
            {
                return ExitCodes.Usage;
            }

            var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r');
            if (string.IsNullOrEmpty(password))
            {
                await Console.Error.WriteLineAsync("error: give the password on standard input (e.g. printf '%s\\n' \"$PASSWORD\" | jobwright login NAME).");
                return ExitCodes.Usage;
            }

            var logon = new XElement(Web + "LogonRequest", new XAttribute("schemaVersion", "V1_0"),
                new XElement(Web + "UserID", parse.GetValue(user)), new XElement(Web + "Password", password));
            using var http = new HttpClient { BaseAddress = server };
            using var content = new StringContent(logon.ToString(), Encoding.UTF8);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.ibm.powervm.web+xml; type=LogonRequest");
            try
            {
                using var response = await http.PutAsync("/rest/api/web/Logon", content, ct);
                if (!response.IsSuccessStatusCode)
                {
                    await Console.Error.WriteLineAsync($"error: {(int)response.StatusCode}: the user name or password is not right (or too many failed logons).");
                    return ExitCodes.Refused;
                }

                var session = XDocument.Parse(await response.Content.ReadAsStringAsync(ct)).Root!.Element(Web + "X-API-Session")!.Value;
                CredentialStore.SetSession(server, session);
                Console.WriteLine($"logged on to {server} as {parse.GetValue(user)}; the session is kept in {CredentialStore.FilePath}");
                return ExitCodes.Ok;
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                await Console.Error.WriteLineAsync($"error: cannot reach the node at {server}: {e.Message}");
                return ExitCodes.Unreachable;
            }
        });
        return command;
    }

    public static Command CreateLogout()
    {
        var command = new Command("logout", "End the kept session of the node and forget it.");
        command.SetAction(async (parse, ct) =>
        {
            if (!TryServer(parse, out var server))
            {
                return ExitCodes.Usage;
            }

            if (CredentialStore.For(server).Session is { } session)
            {
                using var http = new HttpClient { BaseAddress = server };
                using var request = new HttpRequestMessage(HttpMethod.Delete, "/rest/api/web/Logon");
                request.Headers.Add("X-API-Session", session);
                try
                {
                    using var _ = await http.SendAsync(request, ct);
                }
                catch (HttpRequestException)
                {
                    // The node is away: the session is forgotten here all the same.
                }

                CredentialStore.SetSession(server, null);
            }

            Console.WriteLine($"logged off {server}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool TryServer(ParseResult parse, out Uri server)
    {
        var text = parse.GetValue(CliContext.ServerOption) ?? Environment.GetEnvironmentVariable(CliContext.ServerVariable) ?? "http://127.0.0.1:5080";
        if (Uri.TryCreate(text, UriKind.Absolute, out server!) && server.Scheme is "http" or "https")
        {
            return true;
        }

        Console.Error.WriteLine($"error: --server '{text}' is not an http URL, e.g. http://127.0.0.1:5080.");
        return false;
    }
}
