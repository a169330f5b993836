using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace KrJwt.PwshHost;

/// <summary>
/// Console UI as pwsh has it: output, warnings, verbose, debug and information on stdout, errors on stderr,
/// colours only when the stream is a terminal, prompts read from stdin unless -NonInteractive.
/// </summary>
sealed partial class HostUserInterface : PSHostUserInterface
{
    readonly bool _nonInteractive;
    readonly RawUserInterface _rawUI = new();

    public HostUserInterface(bool nonInteractive) => _nonInteractive = nonInteractive;

    /// <summary>
    /// While set, plain output goes to stderr: an uncaught error is printed by Out-Default (for its
    /// formatting), which writes ordinary lines.
    /// </summary>
    public bool OutputToError { get; set; }

    public override PSHostRawUserInterface RawUI => _rawUI;

    public override void Write(string value) => Emit(OutputToError, null, value, newLine: false);
    public override void WriteLine(string value) => Emit(OutputToError, null, value, newLine: true);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        Emit(OutputToError, foregroundColor, value, newLine: false);

    public override void WriteErrorLine(string value) => Emit(toError: true, ConsoleColor.Red, value, newLine: true);

    public override void WriteWarningLine(string message) => WriteStreamLine("WARNING: " + message);
    public override void WriteVerboseLine(string message) => WriteStreamLine("VERBOSE: " + message);
    public override void WriteDebugLine(string message) => WriteStreamLine("DEBUG: " + message);

    // Progress bars would only garble the build and test logs this host exists for: they are not shown.
    public override void WriteProgress(long sourceId, ProgressRecord record) { }

    public override string ReadLine()
    {
        EnsureInteractive();
        return Console.ReadLine() ?? string.Empty;
    }

    public override SecureString ReadLineAsSecureString()
    {
        EnsureInteractive();
        var secure = new SecureString();
        if (Console.IsInputRedirected)
        {
            foreach (char c in Console.ReadLine() ?? string.Empty) secure.AppendChar(c);
        }
        else
        {
            for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
            {
                if (key.Key == ConsoleKey.Backspace) { if (secure.Length > 0) secure.RemoveAt(secure.Length - 1); }
                else secure.AppendChar(key.KeyChar);
            }
            Console.WriteLine();
        }
        secure.MakeReadOnly();
        return secure;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        EnsureInteractive();
        WriteHeading(caption, message);
        var answers = new Dictionary<string, PSObject>();
        foreach (var field in descriptions)
        {
            Write(field.Name + ": ");
            bool secret = field.ParameterTypeFullName == typeof(SecureString).FullName;
            answers[field.Name] = secret ? new PSObject(ReadLineAsSecureString()) : new PSObject(ReadLine());
        }
        return answers;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        EnsureInteractive();
        WriteHeading(caption, message);
        var hotkeys = choices.Select(HotKey).ToArray();
        string menu = string.Join(' ', choices.Select((c, i) => $"[{hotkeys[i]}] {c.Label.Replace("&", "")}"));
        string suffix = defaultChoice >= 0 ? $" (default is \"{hotkeys[defaultChoice]}\")" : "";
        while (true)
        {
            Write(menu + suffix + ": ");
            string answer = ReadLine().Trim();
            if (answer.Length == 0 && defaultChoice >= 0) return defaultChoice;
            int index = Array.FindIndex(hotkeys, h => h.Equals(answer, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
                index = choices.ToList().FindIndex(c => c.Label.Replace("&", "").Equals(answer, StringComparison.OrdinalIgnoreCase));
            if (index >= 0) return index;
        }
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
    {
        EnsureInteractive();
        WriteHeading(caption, message);
        if (string.IsNullOrEmpty(userName))
        {
            Write("User: ");
            userName = ReadLine();
        }
        Write("Password for user " + userName + ": ");
        return new PSCredential(userName, ReadLineAsSecureString());
    }

    // pwsh's wording, so that scripts and tests see the same failure under either host.
    void EnsureInteractive()
    {
        if (_nonInteractive)
            throw new PSInvalidOperationException("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.");
    }

    void WriteHeading(string caption, string message)
    {
        if (!string.IsNullOrEmpty(caption)) WriteLine(caption);
        if (!string.IsNullOrEmpty(message)) WriteLine(message);
    }

    // "&Yes" marks Y as the hotkey; without a marker the first letter is used.
    static string HotKey(ChoiceDescription choice)
    {
        int amp = choice.Label.IndexOf('&');
        return amp >= 0 && amp + 1 < choice.Label.Length
            ? choice.Label[amp + 1].ToString().ToUpperInvariant()
            : choice.Label.Substring(0, Math.Min(1, choice.Label.Length)).ToUpperInvariant();
    }

    void WriteStreamLine(string text) => Emit(toError: false, ConsoleColor.Yellow, text, newLine: true);

    // Colour only a terminal; a log file or a pipe gets plain text, with the formatter's own escape
    // sequences (table headers, error views) removed as pwsh removes them.
    static void Emit(bool toError, ConsoleColor? colour, string text, bool newLine)
    {
        var writer = toError ? Console.Error : Console.Out;
        bool terminal = toError ? !Console.IsErrorRedirected : !Console.IsOutputRedirected;
        if (!terminal)
            text = AnsiEscape().Replace(text, "");
        else if (colour is ConsoleColor c && c >= 0)
            text = $"\u001b[{AnsiForeground(c)}m{text}\u001b[0m";
        if (newLine) writer.WriteLine(text); else writer.Write(text);
    }

    [GeneratedRegex("\u001b\\[[0-9;?]*[ -/]*[@-~]")]
    private static partial Regex AnsiEscape();

    static int AnsiForeground(ConsoleColor colour) => colour switch
    {
        ConsoleColor.Black => 30, ConsoleColor.DarkRed => 31, ConsoleColor.DarkGreen => 32, ConsoleColor.DarkYellow => 33,
        ConsoleColor.DarkBlue => 34, ConsoleColor.DarkMagenta => 35, ConsoleColor.DarkCyan => 36, ConsoleColor.Gray => 37,
        ConsoleColor.DarkGray => 90, ConsoleColor.Red => 91, ConsoleColor.Green => 92, ConsoleColor.Yellow => 93,
        ConsoleColor.Blue => 94, ConsoleColor.Magenta => 95, ConsoleColor.Cyan => 96, _ => 97,
    };
}

/// <summary>Just enough of a raw console for the formatter (its width) and for scripts reading keys.</summary>
sealed class RawUserInterface : PSHostRawUserInterface
{
    // Output that is not a terminal has no width: 120 columns keep tables in logs readable.
    static Size ConsoleSize()
    {
        if (Console.IsOutputRedirected) return new Size(120, 50);
        try { return new Size(Math.Max(Console.WindowWidth, 20), Math.Max(Console.WindowHeight, 5)); }
        catch (IOException) { return new Size(120, 50); }
    }

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override Size BufferSize { get => ConsoleSize(); set { } }
    public override Size WindowSize { get => ConsoleSize(); set { } }
    public override Size MaxWindowSize => ConsoleSize();
    public override Size MaxPhysicalWindowSize => ConsoleSize();
    public override Coordinates CursorPosition { get; set; }
    public override Coordinates WindowPosition { get; set; }
    public override int CursorSize { get; set; } = 25;
    public override string WindowTitle { get; set; } = "pwsh";
    public override bool KeyAvailable => !Console.IsInputRedirected && Console.KeyAvailable;

    public override KeyInfo ReadKey(ReadKeyOptions options)
    {
        var key = Console.ReadKey(intercept: (options & ReadKeyOptions.NoEcho) != 0);
        var state = default(ControlKeyStates);
        if ((key.Modifiers & ConsoleModifiers.Shift) != 0) state |= ControlKeyStates.ShiftPressed;
        if ((key.Modifiers & ConsoleModifiers.Control) != 0) state |= ControlKeyStates.LeftCtrlPressed;
        if ((key.Modifiers & ConsoleModifiers.Alt) != 0) state |= ControlKeyStates.LeftAltPressed;
        return new KeyInfo((int)key.Key, key.KeyChar, state, keyDown: true);
    }

    public override void FlushInputBuffer() { }

    // Screen-buffer access is a Windows console feature; nothing in a build or a test needs it.
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
}
