using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace KrJwt.PwshHost;

static class Program
{
    /// <summary>pwsh's exit code for an unusable command line (a bad switch, a missing script).</summary>
    public const int BadCommandLine = 64;

    static int Main(string[] args)
    {
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(CommandLine.Usage);
            return BadCommandLine;
        }
        if (commandLine.ShowHelp)
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }
        if (commandLine.ShowVersion)
        {
            var version = typeof(PSObject).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!;
            Console.WriteLine("PowerShell " + version.InformationalVersion.Split('+', ' ')[0]);
            return 0;
        }

        var host = new Host(commandLine.NonInteractive);
        using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        // .NET callbacks that run script blocks on this thread need a default runspace, as in pwsh.
        Runspace.DefaultRunspace = runspace;
        var session = new Session(runspace, host);
        Console.CancelKeyPress += session.OnCancelKeyPress;

        if (commandLine.File != null)
            return session.RunFile(commandLine.File, commandLine.FileArguments);
        string? command = commandLine.Command;
        if (command == "-" || (command == null && Console.IsInputRedirected))
            command = Console.In.ReadToEnd();
        return command != null ? session.RunCommand(command) : session.RunInteractive();
    }
}
