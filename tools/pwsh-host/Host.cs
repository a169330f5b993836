using System.Globalization;
using System.Management.Automation.Host;

namespace KrJwt.PwshHost;

/// <summary>The PSHost the engine talks to: console UI, and the exit code that `exit N` requests.</summary>
sealed class Host : PSHost
{
    readonly HostUserInterface _ui;

    public Host(bool nonInteractive) => _ui = new HostUserInterface(nonInteractive);

    /// <summary>Set when a top-level `exit` ran; the program ends with this code.</summary>
    public int? ExitCode { get; private set; }

    public override string Name => "KrJwtHost";
    public override Version Version { get; } = typeof(PSHost).Assembly.GetName().Version!;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
    public override PSHostUserInterface UI => _ui;
    public HostUserInterface ConsoleUI => _ui;

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    // Nested prompts ($Host.EnterNestedPrompt(), breakpoints) need an interactive shell this host does not have.
    public override void EnterNestedPrompt() => throw new NotSupportedException("This host has no nested prompts.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("This host has no nested prompts.");

    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}
