using System.CommandLine;

namespace Jobwright.Cli;

/// <summary>For a first word that is no command, the nearest command by edit distance ("did you mean `submit`?").</summary>
internal static class CommandSuggestion
{
    public static string? For(RootCommand root, string[] args)
    {
        // The first word that is not an option (nor an option's value, for the root's options that take one).
        string? word = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith('-'))
            {
                i += args[i] is "--server" or "--key" ? 1 : 0;
                continue;
            }

            word = args[i];
            break;
        }

        if (word is null || root.Subcommands.Any(c => c.Name == word || c.Aliases.Contains(word)))
        {
            return null;
        }

        var nearest = root.Subcommands.Select(c => (c.Name, Distance: Distance(word, c.Name))).OrderBy(c => c.Distance).First();
        return nearest.Distance <= Math.Max(2, word.Length / 3)
            ? $"'{word}' is not a command; did you mean '{nearest.Name}'? Run 'jobwright --help' for the commands."
            : $"'{word}' is not a command. Run 'jobwright --help' for the commands.";
    }

    // Edit distance counting a swap of two neighbouring letters as one edit ("lsit" is one from "list").
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
