using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace KrJwt.PwshHost;

/// <summary>Runs scripts and commands in the runspace with pwsh's output handling and exit codes.</summary>
sealed class Session
{
    readonly Runspace _runspace;
    readonly Host _host;
    volatile PowerShell? _running;

    public Session(Runspace runspace, Host host)
    {
        _runspace = runspace;
        _host = host;
    }

    /// <summary>-File: the script's `exit N`, 1 when it ended with a terminating error, else 0.</summary>
    public int RunFile(string path, IEnumerable<CommandParameter> arguments)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            Console.Error.WriteLine($"The argument '{path}' is not recognized as the name of a script file. " +
                "Check the spelling of the name, or if a path was included, verify that the path is correct and try again.");
            return Program.BadCommandLine;
        }
        RethrowExitFromNextScript();
        // Not a new scope: like pwsh, the script runs dot-sourced into the global scope. As pwsh on Unix,
        // a file without the .ps1 extension (a shebang script) is run as script text.
        var script = fullPath.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase)
            ? new Command(fullPath, isScript: false, useLocalScope: false)
            : new Command(File.ReadAllText(fullPath), isScript: true, useLocalScope: false);
        foreach (var argument in arguments) script.Parameters.Add(argument);
        bool completed = Invoke(ps => ps.Commands.AddCommand(script));
        return _host.ExitCode ?? (completed ? 0 : 1);
    }

    /// <summary>-Command: `exit N`, else 1 when the last statement failed ($? false), else 0.</summary>
    public int RunCommand(string text)
    {
        bool completed = Invoke(ps => ps.AddScript(text));
        return _host.ExitCode ?? (completed && LastStatementSucceeded() ? 0 : 1);
    }

    /// <summary>A bare prompt loop for a terminal, until `exit` or end of input.</summary>
    public int RunInteractive()
    {
        while (_host.ExitCode == null)
        {
            Console.Write($"PS {_runspace.SessionStateProxy.Path.CurrentLocation}> ");
            string? line = Console.ReadLine();
            if (line == null) break;
            if (line.Trim().Length > 0) Invoke(ps => ps.AddScript(line));
        }
        return _host.ExitCode ?? 0;
    }

    /// <summary>Ctrl+C stops the running pipeline instead of killing the process, as in pwsh.</summary>
    public void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        var running = _running;
        if (running == null) return;
        e.Cancel = true;
        running.BeginStop(null, null);
    }

    // Runs the commands with output formatted by Out-Default; false when a terminating error ended them.
    bool Invoke(Action<PowerShell> addCommands)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        addCommands(ps);
        // As pwsh: errors join the output so that Out-Default prints both in the order they happened
        // (errors still go to the host's error line, stderr).
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        _running = ps;
        try
        {
            // As pwsh runs typed and -Command input: in the history, which also makes the engine keep the
            // pipeline's success in $? for the -Command exit code.
            ps.Invoke(null, new PSInvocationSettings { AddToHistory = true });
            return true;
        }
        catch (Exception e)
        {
            ReportError(e);
            return false;
        }
        finally
        {
            _running = null;
        }
    }

    // An uncaught error is printed as pwsh prints it: Out-Default's error view (with the script position),
    // on stderr.
    void ReportError(Exception e)
    {
        // A parse error of -Command text may carry no script position, which leaves the error view blank.
        if (e is ParseException { ErrorRecord.InvocationInfo: null })
        {
            _host.ConsoleUI.WriteErrorLine("ParserError: " + e.Message);
            return;
        }
        var record = (e as IContainsErrorRecord)?.ErrorRecord
            ?? new ErrorRecord(e, "HostException", ErrorCategory.NotSpecified, null);
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddCommand("Out-Default");
        _host.ConsoleUI.OutputToError = true;
        try
        {
            ps.Invoke(new[] { record });
        }
        finally
        {
            _host.ConsoleUI.OutputToError = false;
        }
    }

    bool LastStatementSucceeded()
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        return ps.AddScript("$global:?").Invoke<bool>().FirstOrDefault();
    }

    // pwsh makes the first script of a -File run let `exit N` escape to the host (rather than merely setting
    // $LASTEXITCODE as a script called by another does). The engine reads and clears this flag when it
    // starts that script; it is internal, so it is set the way pwsh's own host sets it.
    void RethrowExitFromNextScript()
    {
        const BindingFlags NonPublic = BindingFlags.Instance | BindingFlags.NonPublic;
        object context = typeof(Runspace).GetProperty("ExecutionContext", NonPublic)!.GetValue(_runspace)!;
        context.GetType().GetProperty("ScriptCommandProcessorShouldRethrowExit", NonPublic)!.SetValue(context, true);
    }
}
