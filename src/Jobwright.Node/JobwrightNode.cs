using System.Net;
using Jobwright.Declared;
using Jobwright.Hosting;
using Jobwright.Samples;
using Jobwright.Server;
using Jobwright.PostgreSql;
using Jobwright.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Trace;

namespace Jobwright.Node;

/// <summary>
/// Builds a node as the <c>serve</c> command runs it: the engine on the store the settings name, the sample and
/// declared operations, and Jobwright's endpoints on Kestrel. A host of its own calls <c>AddJobwright</c>,
/// <c>AddJobwrightServer</c> and <c>MapJobwright</c> instead.
/// </summary>
public static class JobwrightNode
{
    /// <summary>Builds (does not start) a node from <paramref name="settings"/>; <paramref name="configure"/> adds operations.</summary>
    public static WebApplication Build(NodeSettings settings, Action<JobwrightBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var listens = settings.ListenUrls.Select(url => ValidateListenUrl(url, settings)).ToArray();
        if (listens.Length == 0)
        {
            throw new InvalidOperationException($"--listen: give at least one address, e.g. {NodeSettings.DefaultListenUrl}.");
        }
        if (settings.AllowedHosts.Select(LoopbackHosts.Problem).FirstOrDefault(p => p is not null) is { } badHost)
        {
            throw new InvalidOperationException("--allowed-host " + badHost);
        }

        if (settings.MaxRequestBodyBytes < 1024)
        {
            throw new InvalidOperationException($"--max-request-body is {settings.MaxRequestBodyBytes} bytes: use at least 1024.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // A node that cannot start says why in one line (the caller prints it); not with the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        // Every log line written inside a span carries its trace and span ids (with the job id of a run as scope).
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.WebHost.UseUrls([.. listens.Select(l => l.ToString().TrimEnd('/'))]);
        var certificate = listens.Any(l => l.Scheme == Uri.UriSchemeHttps)
#pragma warning disable RS0030 // The composition root: the certificate's validity starts on the system clock.
            ? NodeCertificate.Resolve(settings.TlsCertificatePath, settings.TlsKeyPath, settings.GeneratedCertificatePath, [.. listens.Select(l => l.Host), .. settings.AllowedHosts], TimeProvider.System)
#pragma warning restore RS0030
            : null;
        if (certificate is not null)
        {
            builder.Services.AddSingleton(certificate);
            // The slim builder leaves https out unless asked.
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        else if (settings.TlsCertificatePath is not null || settings.TlsKeyPath is not null)
        {
            throw new InvalidOperationException("--tls-cert and --tls-key are for https: give an https --listen address too (e.g. https://127.0.0.1:5443).");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate.Certificate);
            }

            // Only --listen decides where the node listens: endpoints from configuration (Kestrel__Endpoints__*
            // in the environment, an appsettings.json in the working directory) would bypass the loopback guard.
            kestrel.Configure(new ConfigurationBuilder().Build());
        });
        // A page on another site must not reach the node through a name it made resolve to 127.0.0.1 (DNS rebinding).
        builder.Services.AddHostFiltering(_ => { });
        var reachable = listens.Any(l => !LoopbackHosts.IsLoopback(l));
        builder.Services.PostConfigure<HostFilteringOptions>(o =>
        {
            // A node others reach answers to the names they use for it (unless --allowed-host narrows them): its callers authenticate.
            o.AllowedHosts = reachable && settings.AllowedHosts.Count == 0 ? ["*"] : LoopbackHosts.For(listens, settings.AllowedHosts);
            o.AllowEmptyHosts = false;
        });
        if (!reachable)
        {
            builder.Services.AddHostedService<LoopbackListenCheck>();
        }

        builder.Services.AddJobwrightSecurity(o =>
        {
            o.UsersFile = settings.Security.UsersFile;
            o.KeysFile = settings.Security.KeysFile;
            o.JwtAuthority = settings.Security.JwtAuthority;
            o.JwtSigningKeyFile = settings.Security.JwtSigningKeyFile;
            o.JwtAudience = settings.Security.JwtAudience;
            o.JwtRoleClaim = settings.Security.JwtRoleClaim;
            o.JwtScopeClaim = settings.Security.JwtScopeClaim;
            o.JwtNameClaim = settings.Security.JwtNameClaim;
            o.AuditRetention = settings.Security.AuditRetention;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownGracePeriod + TimeSpan.FromSeconds(10));
        builder.Services.AddJobwrightServer(o =>
        {
            o.MaxRequestBodyBytes = settings.MaxRequestBodyBytes;
            o.HmcSessionIdleTimeout = settings.HmcSessionIdleTimeout;
            if (settings.Samples)
            {
                // The sample pack's Redfish systems, whose ComputerSystem.Reset is the ComputerSystem/Reset sample.
                foreach (var system in SampleOperations.RedfishSystems)
                {
                    o.RedfishSystems.Add(system);
                }
            }
        });
        var jobwright = builder.Services.AddJobwright(o =>
        {
            if (settings.PostgresConnectionString is { } postgres)
            {
                // The key stays at its default, ./jobwright.key: every node of a cluster needs the same one.
                UsePostgres(o, postgres, settings.PostgresLease);
            }
            else
            {
                o.UseSqlite(settings.SqlitePath, settings.SqliteSynchronous);
            }

            if (settings.KeyFile is { } keyFile)
            {
                o.SecretKeyPath = keyFile;
            }

            o.ShutdownGracePeriod = settings.ShutdownGracePeriod;
            o.Retention = settings.Retention;
            if (settings.Workers is { } workers)
            {
                o.WorkerSlots = workers;
            }

            if (settings.MaxQueuedJobs is { } maxQueued)
            {
                o.MaxQueuedJobs = maxQueued;
            }

            if (settings.NodeName is { } name)
            {
                o.NodeName = name;
            }
        });
        jobwright.WithTelemetry(o => o.OtlpEndpoint = settings.OtlpEndpoint);
        if (settings.PostgresConnectionString is not null)
        {
            // PostgreSQL's own spans (Npgsql.OpenTelemetry) join a job's run as its children. Only then: a SQLite node
            // would load Npgsql for nothing (its code is resident memory).
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddNpgsql());
        }
        if (settings.Samples)
        {
            jobwright.AddSampleOperations();
        }

        if (settings.OperationsFile is { } file)
        {
            try
            {
#pragma warning disable RS0030 // The composition root: the declared steps run on the system clock.
                foreach (var operation in DeclaredOperationsFile.Load(file, TimeProvider.System))
#pragma warning restore RS0030
                {
                    jobwright.AddOperation(operation);
                }

                var declared = DeclaredOperationsFile.LoadSchedules(file);
                builder.Services.AddHostedService(sp => new DeclaredScheduleCreator(sp.GetRequiredService<Engine.JobService>(), file, declared));
            }
            catch (DeclaredOperationsException e)
            {
                throw new InvalidOperationException(e.Message, e);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"operations file {file}: {e.Message}", e);
            }
        }

        configure?.Invoke(jobwright);

        var app = builder.Build();
        app.UseHostFiltering();
        app.MapJobwright();
        return app;
    }

    /// <summary>The URL the started node listens on (with the real port when port 0 was asked for); the first one when there are more.</summary>
    public static string ListeningUrl(WebApplication app) => ListeningUrls(app)[0];

    /// <summary>Every URL the started node listens on, in the order of its settings.</summary>
    public static IReadOnlyList<string> ListeningUrls(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses is { Count: > 0 } ? [.. addresses] : throw new InvalidOperationException("The node is not listening yet: start it first.");
    }

    // Off-box access is never open by default: an address others can reach needs authentication, and https unless told otherwise.
    private static Uri ValidateListenUrl(string url, NodeSettings settings)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"--listen '{url}' is not an http or https URL; use e.g. {NodeSettings.DefaultListenUrl} or https://127.0.0.1:5443.");
        }

        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var mapped) && mapped.IsIPv4MappedToIPv6)
        {
            throw new InvalidOperationException(
                $"--listen '{url}' is an IPv4 address written as IPv6, which the node cannot listen on; use http://{mapped.MapToIPv4()}:{uri.Port}.");
        }

        if (LoopbackHosts.IsLoopback(uri))
        {
            return uri;
        }

        if (!settings.Security.Enabled)
        {
            throw new InvalidOperationException(
                $"--listen '{url}' is not a loopback address, and a node that others can reach needs authentication: give --users, --keys or " +
                "--jwt-signing-key/--jwt-authority (see docs/security.md), or listen on 127.0.0.1.");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !settings.AllowInsecureHttp)
        {
            throw new InvalidOperationException(
                $"--listen '{url}' is not a loopback address and is plain http: passwords and keys would cross the network in clear. " +
                $"Listen on https://{uri.Authority} (with --tls-cert, or a self-signed certificate), or give --allow-insecure-http.");
        }

        return uri;
    }

    // A method of its own: compiling the store's choice then does not load Npgsql into a SQLite node.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UsePostgres(JobwrightOptions options, string connectionString, TimeSpan lease) =>
        options.UsePostgres(connectionString, lease: lease);
}
