using System.Management.Automation.Runspaces;

namespace KrJwt.PwshHost;

/// <summary>The subset of pwsh's command line this host understands, parsed the way pwsh does.</summary>
sealed class CommandLine
{
    public string? File { get; private set; }
    public List<CommandParameter> FileArguments { get; } = new();
    public string? Command { get; private set; }
    public bool NonInteractive { get; private set; }
    public bool ShowVersion { get; private set; }
    public bool ShowHelp { get; private set; }

    public const string Usage = """
        Usage: pwsh [-NoProfile] [-NonInteractive] [-File <path> [args]] [-Command <text> | -]
                    [-Version] [-Help]

        A minimal PowerShell host bundled with KrJwt (System.Management.Automation, core cmdlets only).
          -File, -f        run a script; the remaining arguments are bound to its parameters
          -Command, -c     run the remaining arguments, joined by spaces, as a command ('-' reads stdin)
          -NoProfile       accepted; profiles are never loaded by this host
          -NonInteractive  prompts (Read-Host, -Confirm) fail instead of reading the console
        With neither -File nor -Command, commands are read from standard input.
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> on a bad command line.</summary>
    public static CommandLine Parse(string[] args)
    {
        var result = new CommandLine();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string key = arg.TrimStart('-');
            if (key.Length == arg.Length || key.Length == 0)
            {
                // pwsh treats the first bare argument as the script file.
                result.SetFile(args, i);
                break;
            }
            if (Is(key, "noprofile", "nop") || Is(key, "nologo", "nol")) continue;
            if (Is(key, "noninteractive", "noni")) result.NonInteractive = true;
            else if (Is(key, "version", "v")) result.ShowVersion = true;
            else if (Is(key, "help", "h") || key == "?") result.ShowHelp = true;
            else if (Is(key, "executionpolicy", "ex") || Is(key, "ep", "ep"))
            {
                // Accepted for scripts written for Windows; execution policy does not exist on Unix.
                if (++i == args.Length) throw new ArgumentException("Missing value for -ExecutionPolicy.");
            }
            else if (Is(key, "file", "f"))
            {
                if (i + 1 == args.Length) throw new ArgumentException("Missing file name for -File.");
                result.SetFile(args, i + 1);
                break;
            }
            else if (Is(key, "command", "c"))
            {
                if (i + 1 == args.Length) throw new ArgumentException("Missing command text for -Command.");
                result.Command = string.Join(' ', args, i + 1, args.Length - i - 1);
                break;
            }
            else throw new ArgumentException($"Unknown parameter '{arg}'.");
        }
        return result;
    }

    // pwsh accepts any prefix of a parameter name that is at least as long as its shortest unambiguous form.
    static bool Is(string key, string name, string shortest) =>
        key.Length >= shortest.Length && name.StartsWith(key, StringComparison.OrdinalIgnoreCase);

    // Script arguments follow pwsh: "-Name" is a parameter name (kept with its dash so that the binder pairs
    // it with the next value or treats it as a switch), "-Name:value" and "-Name: value" a named value
    // ("$true"/"$false" become booleans), anything else a positional value.
    void SetFile(string[] args, int index)
    {
        File = args[index];
        for (int i = index + 1; i < args.Length; i++)
        {
            string arg = args[i];
            int colon = arg.IndexOf(':');
            if (arg.Length < 2 || arg[0] != '-')
                FileArguments.Add(new CommandParameter(null, arg));
            else if (colon < 0)
                FileArguments.Add(new CommandParameter(arg));
            else
            {
                string value = colon < arg.Length - 1 ? arg.Substring(colon + 1)
                    : ++i < args.Length ? args[i]
                    : throw new ArgumentException($"Missing value for script parameter '{arg}'.");
                object boxed = value.Equals("$true", StringComparison.OrdinalIgnoreCase) ? true
                    : value.Equals("$false", StringComparison.OrdinalIgnoreCase) ? false
                    : value;
                FileArguments.Add(new CommandParameter(arg.Substring(1, colon - 1), boxed));
            }
        }
    }
}
