namespace KrJwt;

/// <summary>
/// A failed krjwt call: the library's status and its last-error message (which says what was
/// wrong and how to fix it, and never contains key material), or a failure of the module's own
/// (a key file it could not read). Cmdlets turn it into an ErrorRecord with
/// <see cref="ErrorId"/> and <see cref="Category"/>, adding cmdlet advice (CmdletAdvice).
/// </summary>
public sealed class KrJwtException : Exception
{
    private readonly string kind;

    public KrJwtException(KrStatus status, string message)
        : this(status, message, null)
    {
    }

    public KrJwtException(KrStatus status, string message, Exception? inner)
        : this(status.ToString(), CategoryOf(status), message, inner, status)
    {
    }

    private KrJwtException(string kind, ErrorCategory category, string message, Exception? inner, KrStatus? status)
        : base(message, inner)
    {
        this.kind = kind;
        Category = category;
        Status = status;
    }

    /// <summary>
    /// A file the module was to read could not be (ErrorId <c>KrJwt.Io</c>): the module reads key
    /// files itself, the library never does.
    /// </summary>
    internal static KrJwtException FileUnreadable(string message, Exception? inner = null) =>
        new KrJwtException("Io", ErrorCategory.ReadError, message, inner, null);

    /// <summary>The library status that caused the failure; null for a failure of the module's own.</summary>
    public KrStatus? Status { get; }

    /// <summary>A stable ErrorId, e.g. <c>KrJwt.InvalidKey</c> (the library status) or <c>KrJwt.Io</c>.</summary>
    public string ErrorId => "KrJwt." + kind;

    /// <summary>The PowerShell error category that fits the failure.</summary>
    public ErrorCategory Category { get; }

    /// <summary>The same failure with a sentence added to its message (advice, the file it is about).</summary>
    internal KrJwtException WithMessage(string message) => new KrJwtException(kind, Category, message, this, Status);

    private static ErrorCategory CategoryOf(KrStatus status) => status switch
    {
        KrStatus.InvalidArgument => ErrorCategory.InvalidArgument,
        KrStatus.NullPointer => ErrorCategory.InvalidArgument,
        KrStatus.InvalidKey => ErrorCategory.InvalidArgument,
        KrStatus.InvalidJson => ErrorCategory.ParserError,
        KrStatus.InvalidToken => ErrorCategory.InvalidData,
        KrStatus.InvalidHandle => ErrorCategory.InvalidOperation,
        KrStatus.InvalidState => ErrorCategory.InvalidOperation,
        KrStatus.Crypto => ErrorCategory.SecurityError,
        _ => ErrorCategory.NotSpecified,
    };
}
