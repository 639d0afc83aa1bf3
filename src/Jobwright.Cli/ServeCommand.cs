using System.CommandLine;
using Jobwright.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Jobwright.Cli;

/// <summary><c>jobwright serve</c>: runs a node (engine and API) until stopped with Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var listen = new Option<string[]>("--listen")
        {
            Description = "Where the API listens (loopback only): http://… or https://…; repeat it to serve both.",
            DefaultValueFactory = _ => [NodeSettings.DefaultListenUrl],
            AllowMultipleArgumentsPerToken = false,
        };
        var tlsCert = new Option<string?>("--tls-cert")
        {
            Description = $"For https: the certificate, PEM (with --tls-key) or PKCS#12 (its password in {NodeCertificate.PasswordVariable}). Without it the node makes a self-signed one beside its store and prints its SHA-256 fingerprint.",
        };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert." };
        var users = new Option<string?>("--users") { Description = "The users file (jobwright users add): HMC logon and HTTP Basic. Turns authentication on." };
        var keys = new Option<string?>("--keys") { Description = "The API keys file (jobwright keys add): Authorization: Bearer jw_…. Turns authentication on." };
        var jwtAuthority = new Option<string?>("--jwt-authority") { Description = "Accept JWT bearer tokens from this identity provider (its OpenID metadata gives the keys)." };
        var jwtSigningKey = new Option<string?>("--jwt-signing-key") { Description = "Accept JWT bearer tokens signed with this PEM public key (RSA or EC)." };
        var jwtAudience = new Option<string?>("--jwt-audience") { Description = "The audience a JWT must name." };
        var jwtRoleClaim = new Option<string>("--jwt-role-claim") { Description = "The JWT claim with the caller's roles.", DefaultValueFactory = _ => "roles" };
        var jwtScopeClaim = new Option<string>("--jwt-scope-claim") { Description = "The JWT claim with the caller's scope patterns.", DefaultValueFactory = _ => "jobwright_scope" };
        var allowInsecureHttp = new Option<bool>("--allow-insecure-http") { Description = "Let a node others can reach serve plain http (credentials then cross the network in clear)." };
        var otlpEndpoint = new Option<Uri?>("--otlp-endpoint")
        {
            Description = "Send traces and metrics over OTLP to this collector (e.g. http://127.0.0.1:4317); the standard OTEL_EXPORTER_OTLP_ENDPOINT works too.",
            CustomParser = r => AbsoluteHttpUrl(r, "--otlp-endpoint"),
        };
        var hmcSessionIdle = new Option<string>("--hmc-session-idle")
        {
            Description = "How long an HMC API session lives without a request (e.g. 30m, 2h); then its requests answer 401 and the client logs on again.",
            DefaultValueFactory = _ => "2h",
        };
        var store = new Option<string>("--store") { Description = "Where jobs are stored: sqlite:PATH, or postgres://user:password@host:port/database (an Npgsql connection string also works) for a cluster.", DefaultValueFactory = _ => StoreLocation.Default };
        var lease = new Option<string>("--lease")
        {
            Description = "PostgreSQL only: how long a node stays live without a heartbeat (e.g. 30s).",
            DefaultValueFactory = _ => "30s",
        };
        var keyFile = new Option<string?>("--key-file") { Description = "The key that encrypts sensitive parameters (default: beside the SQLite file; ./jobwright.key with PostgreSQL). Every node of a cluster needs the same key." };
        var workers = new Option<int?>("--workers") { Description = "How many jobs may be claimed or running at once on this node.", CustomParser = r => WholeNumber(r, "--workers") };
        var maxQueued = new Option<int?>("--max-queued") { Description = "How many jobs may wait to start before submits are refused with 503 (default 100000).", CustomParser = r => WholeNumber(r, "--max-queued") };
        var samples = new Option<bool>("--samples") { Description = "Register the sample operations (Sample/Simulate, LogicalPartition/*, VirtualIOServer/PowerOn)." };
        var operations = new Option<string?>("--operations") { Description = "A JSON or YAML file of declared operations (see docs/operations.md)." };
        var retention = new Option<string>("--retention")
        {
            Description = "How long finished jobs are kept, e.g. 7d, 12h; 'forever' keeps them.",
            DefaultValueFactory = _ => "7d",
        };
        retention.Validators.Add(r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "7d";
            if (text != "forever" && !(Jobwright.Model.DurationText.TryParse(text, out var d) && d >= TimeSpan.FromSeconds(1)))
            {
                r.AddError($"--retention '{text}' is not a duration of a second or more (e.g. 7d, 12h) or 'forever'.");
            }
        });
        var name = new Option<string?>("--name") { Description = "This node's name, unique among live nodes (default: MACHINE-PID)." };
        var allowedHosts = new Option<string[]>("--allowed-host")
        {
            Description = "A host name requests may give in their Host header besides localhost, 127.0.0.1 and [::1] (repeat for more); others are refused with 400.",
            AllowMultipleArgumentsPerToken = false,
        };
        allowedHosts.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (LoopbackHosts.Problem(token.Value) is { } problem)
                {
                    r.AddError("--allowed-host " + problem);
                }
            }
        });
        var maxBody = new Option<long>("--max-request-body")
        {
            Description = "The largest request body accepted, in bytes.", DefaultValueFactory = _ => 1024 * 1024, CustomParser = r => WholeNumber(r, "--max-request-body") ?? 0,
        };
        var grace = new Option<int>("--shutdown-grace")
        {
            Description = "Seconds running jobs get to finish when the node stops.", DefaultValueFactory = _ => 10, CustomParser = r => WholeNumber(r, "--shutdown-grace") ?? 0,
        };
        // Range checks read the token themselves: a token that is not a number already has its own parse error.
        workers.Validators.Add(r =>
        {
            if (TokenAsInteger(r) is < 1 or > 4096)
            {
                r.AddError("--workers must be from 1 to 4096.");
            }
        });
        maxQueued.Validators.Add(r =>
        {
            if (TokenAsInteger(r) < 1)
            {
                r.AddError("--max-queued must be 1 or more.");
            }
        });
        grace.Validators.Add(r =>
        {
            if (TokenAsInteger(r) < 0)
            {
                r.AddError("--shutdown-grace must be 0 or more seconds.");
            }
        });

        var command = new Command("serve", "Run a node: the engine and the JSON API.") { listen, tlsCert, tlsKey, store, lease, keyFile, workers, maxQueued, samples, operations, retention, name, allowedHosts, maxBody, grace, hmcSessionIdle, users, keys, jwtAuthority, jwtSigningKey, jwtAudience, jwtRoleClaim, jwtScopeClaim, allowInsecureHttp, otlpEndpoint };
        command.SetAction(async (parse, ct) =>
        {
            if (!StoreLocation.TryParse(parse.GetValue(store)!, out var location, out var error))
            {
                await Console.Error.WriteLineAsync("error: " + error);
                return ExitCodes.Usage;
            }

            if (!Jobwright.Model.DurationText.TryParse(parse.GetValue(lease), out var leaseTime) || leaseTime < TimeSpan.FromSeconds(1) || leaseTime > TimeSpan.FromHours(1))
            {
                await Console.Error.WriteLineAsync($"error: --lease '{parse.GetValue(lease)}' is not a duration from 1s to 1h (e.g. 30s).");
                return ExitCodes.Usage;
            }

            if (!Jobwright.Model.DurationText.TryParse(parse.GetValue(hmcSessionIdle), out var idle) || idle < TimeSpan.FromSeconds(1) || idle > TimeSpan.FromDays(7))
            {
                await Console.Error.WriteLineAsync($"error: --hmc-session-idle '{parse.GetValue(hmcSessionIdle)}' is not a duration from 1s to 7d (e.g. 30m).");
                return ExitCodes.Usage;
            }

            var settings = new NodeSettings
            {
                ListenUrls = parse.GetValue(listen) is { Length: > 0 } urls ? urls : [NodeSettings.DefaultListenUrl],
                TlsCertificatePath = parse.GetValue(tlsCert),
                TlsKeyPath = parse.GetValue(tlsKey),
                HmcSessionIdleTimeout = idle,
                OtlpEndpoint = parse.GetValue(otlpEndpoint),
                Security = new Server.Security.JobwrightSecurityOptions
                {
                    UsersFile = parse.GetValue(users),
                    KeysFile = parse.GetValue(keys),
                    JwtAuthority = parse.GetValue(jwtAuthority),
                    JwtSigningKeyFile = parse.GetValue(jwtSigningKey),
                    JwtAudience = parse.GetValue(jwtAudience),
                    JwtRoleClaim = parse.GetValue(jwtRoleClaim)!,
                    JwtScopeClaim = parse.GetValue(jwtScopeClaim)!,
                },
                AllowInsecureHttp = parse.GetValue(allowInsecureHttp),
                SqlitePath = location.SqlitePath ?? "jobwright.db",
                PostgresConnectionString = location.PostgresConnectionString,
                PostgresLease = leaseTime,
                KeyFile = parse.GetValue(keyFile),
                Workers = parse.GetValue(workers),
                MaxQueuedJobs = parse.GetValue(maxQueued),
                Samples = parse.GetValue(samples),
                OperationsFile = parse.GetValue(operations),
                Retention = parse.GetValue(retention) is "forever" ? null : Jobwright.Model.DurationText.TryParse(parse.GetValue(retention), out var kept) ? kept : TimeSpan.FromDays(7),
                NodeName = parse.GetValue(name),
                AllowedHosts = parse.GetValue(allowedHosts) ?? [],
                MaxRequestBodyBytes = parse.GetValue(maxBody),
                ShutdownGracePeriod = TimeSpan.FromSeconds(parse.GetValue(grace)),
            };
            return await RunAsync(settings);
        });
        return command;
    }

    private static Uri? AbsoluteHttpUrl(System.CommandLine.Parsing.ArgumentResult result, string option)
    {
        if (result.Tokens.Count == 1 && Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return url;
        }

        result.AddError($"{option} takes an http or https URL, e.g. {option} http://127.0.0.1:4317.");
        return null;
    }

    private static int? WholeNumber(System.CommandLine.Parsing.ArgumentResult result, string option)
    {
        if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{option} takes a whole number, e.g. {option} 16.");
        return null;
    }

    private static long? TokenAsInteger(System.CommandLine.Parsing.OptionResult result) =>
        result.Tokens.Count == 1 && long.TryParse(result.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    private static async Task<int> RunAsync(NodeSettings settings)
    {
        WebApplication app;
        try
        {
            app = JobwrightNode.Build(settings);
            await app.StartAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or Storage.StoreUnavailableException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"error: cannot listen on {string.Join(" and ", settings.ListenUrls)}: {e.Message}");
            return ExitCodes.Failure;
        }

        var node = app.Services.GetService(typeof(Engine.JobService)) is Engine.JobService jobs ? jobs.Node : null;
        if (app.Services.GetService(typeof(NodeCertificate)) is NodeCertificate certificate)
        {
            Console.WriteLine($"TLS certificate {certificate.Path} ({(certificate.Generated ? "self-signed by this node" : "given")}), SHA-256 fingerprint {certificate.Sha256Fingerprint}");
        }

        Console.WriteLine($"Jobwright node {node?.Name} listening on {string.Join(" and ", JobwrightNode.ListeningUrls(app))} (store: {settings.StoreDescription}, {node?.WorkerSlots} worker slots)");
        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        Console.WriteLine($"Jobwright node {node?.Name} stopped");
        return ExitCodes.Ok;
    }
}
