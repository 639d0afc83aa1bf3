using System.CommandLine;
using Jobwright.Server.Security;

namespace Jobwright.Cli;

/// <summary>
/// <c>jobwright users add|remove</c> and <c>jobwright keys add|revoke</c>: they write the users and keys
/// files a node reads (<c>serve --users</c>, <c>serve --keys</c>), which hold only hashes.
/// </summary>
internal static class PrincipalCommands
{
    public static Command CreateUsers()
    {
        var (name, role, scopes, file) = Common("users");
        var add = new Command("add", "Add a user, or change its password, role and scope; the password is read from standard input.") { name, role, scopes, file };
        add.SetAction(async (parse, ct) =>
        {
            if (await CheckAsync(parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(scopes) ?? []) is { } problem)
            {
                return problem;
            }

            // One line of standard input: a pipe or a terminal alike (nothing is echoed back).
            var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r');
            if (string.IsNullOrEmpty(password) || password.Length < 8)
            {
                await Console.Error.WriteLineAsync("error: give the password on standard input, 8 characters or more (e.g. printf '%s\\n' \"$PASSWORD\" | jobwright users add …).");
                return ExitCodes.Usage;
            }

            var user = parse.GetValue(name)!;
            var entries = new PrincipalFile<UserEntry>(parse.GetValue(file)!, "users");
            entries.Put(user, new UserEntry { Role = JobwrightRoles.Normalize(parse.GetValue(role))!, Scopes = parse.GetValue(scopes) ?? [], PasswordHash = Credentials.HashPassword(user, password) });
            Console.WriteLine($"user {user} ({JobwrightRoles.Normalize(parse.GetValue(role))}) written to {entries.Path}");
            return ExitCodes.Ok;
        });

        var remove = RemoveCommand("remove", "Remove a user.", "users", (path, who) => new PrincipalFile<UserEntry>(path, "users").Remove(who));
        return new Command("users", "Manage the users of a node (its users file).") { add, remove };
    }

    public static Command CreateKeys()
    {
        var (name, role, scopes, file) = Common("keys");
        var expires = new Option<string?>("--expires") { Description = "How long the key is valid, e.g. 90d (default: until revoked)." };
        var add = new Command("add", "Make an API key: it is printed once, on standard output; only its hash is kept.") { name, role, scopes, file, expires };
        add.SetAction(async (parse, ct) =>
        {
            if (await CheckAsync(parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(scopes) ?? []) is { } problem)
            {
                return problem;
            }

            TimeSpan? lifetime = null;
            if (parse.GetValue(expires) is { } text)
            {
                if (!Jobwright.Model.DurationText.TryParse(text, out var valid) || valid < TimeSpan.FromMinutes(1))
                {
                    await Console.Error.WriteLineAsync($"error: --expires '{text}' is not a duration of a minute or more (e.g. 90d, 12h).");
                    return ExitCodes.Usage;
                }

                lifetime = valid;
            }

#pragma warning disable RS0030 // The program is a composition root: a key's dates are on the system clock.
            var now = DateTimeOffset.UtcNow;
#pragma warning restore RS0030
            var key = Credentials.NewKey();
            var entries = new PrincipalFile<ApiKeyEntry>(parse.GetValue(file)!, "keys");
            entries.Put(parse.GetValue(name)!, new ApiKeyEntry
            {
                Role = JobwrightRoles.Normalize(parse.GetValue(role))!,
                Scopes = parse.GetValue(scopes) ?? [],
                Sha256 = Credentials.KeyHash(key),
                Prefix = key[..7],
                Created = now,
                Expires = lifetime is { } l ? now + l : null,
            });
            Console.WriteLine(key);
            await Console.Error.WriteLineAsync($"key {parse.GetValue(name)} written to {entries.Path}; it is shown this once: keep it now.");
            return ExitCodes.Ok;
        });

        var revoke = RemoveCommand("revoke", "Revoke a key: requests with it are refused from then on.", "keys", (path, who) => new PrincipalFile<ApiKeyEntry>(path, "keys").Remove(who));
        return new Command("keys", "Manage the API keys of a node (its keys file).") { add, revoke };
    }

    private static (Argument<string> Name, Option<string> Role, Option<string[]> Scopes, Option<string> File) Common(string kind)
    {
        var name = new Argument<string>("NAME") { Description = kind == "users" ? "The user's name (the HMC UserID)." : "The key's name (who or what uses it)." };
        var role = new Option<string>("--role") { Description = "reader, operator or admin (or hmcviewer, hmcoperator, hmcsuperadmin).", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A pattern of GROUP/TARGET or GROUP/OPERATION it is limited to, e.g. LogicalPartition/lpar-* (repeat for more; none: every job).", AllowMultipleArgumentsPerToken = false };
        var file = new Option<string>("--file") { Description = $"The {kind} file (JSON), created if missing.", Required = true };
        return (name, role, scopes, file);
    }

    private static Command RemoveCommand(string verb, string description, string kind, Func<string, string, bool> remove)
    {
        var name = new Argument<string>("NAME");
        var file = new Option<string>("--file") { Description = $"The {kind} file.", Required = true };
        var command = new Command(verb, description) { name, file };
        command.SetAction(async parse =>
        {
            if (!remove(parse.GetValue(file)!, parse.GetValue(name)!))
            {
                await Console.Error.WriteLineAsync($"error: {parse.GetValue(file)} has no {kind[..^1]} named {parse.GetValue(name)}.");
                return ExitCodes.Refused;
            }

            Console.WriteLine($"{kind[..^1]} {parse.GetValue(name)} removed from {parse.GetValue(file)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int?> CheckAsync(string name, string role, string[] scopes)
    {
        if (PrincipalFile<UserEntry>.NameProblem(name) is { } bad)
        {
            await Console.Error.WriteLineAsync("error: NAME " + bad);
            return ExitCodes.Usage;
        }

        if (JobwrightRoles.Normalize(role) is null)
        {
            await Console.Error.WriteLineAsync($"error: --role '{role}' is not a role: use reader, operator or admin (or hmcviewer, hmcoperator, hmcsuperadmin).");
            return ExitCodes.Usage;
        }

        if (scopes.Select(TargetScope.Problem).FirstOrDefault(p => p is not null) is { } problem)
        {
            await Console.Error.WriteLineAsync("error: --scope " + problem);
            return ExitCodes.Usage;
        }

        return null;
    }
}
