using System;
using System.Management.Automation;

namespace KrJwt
{
    /// <summary>
    /// A failed krjwt call: the library's status and its last-error message (which says what was
    /// wrong and how to fix it, and never contains key material). Cmdlets turn it into an
    /// ErrorRecord with <see cref="ErrorId"/> and <see cref="Category"/>.
    /// </summary>
    public sealed class KrJwtException : Exception
    {
        public KrJwtException(KrStatus status, string message)
            : base(message)
        {
            Status = status;
        }

        public KrJwtException(KrStatus status, string message, Exception inner)
            : base(message, inner)
        {
            Status = status;
        }

        /// <summary>The library status that caused the failure.</summary>
        public KrStatus Status { get; }

        /// <summary>A stable ErrorId derived from the status, e.g. <c>KrJwt.InvalidKey</c>.</summary>
        public string ErrorId => "KrJwt." + Status;

        /// <summary>The PowerShell error category that fits the status.</summary>
        public ErrorCategory Category => Status switch
        {
            KrStatus.InvalidArgument => ErrorCategory.InvalidArgument,
            KrStatus.NullPointer => ErrorCategory.InvalidArgument,
            KrStatus.InvalidKey => ErrorCategory.InvalidArgument,
            KrStatus.InvalidJson => ErrorCategory.ParserError,
            KrStatus.InvalidToken => ErrorCategory.InvalidData,
            KrStatus.InvalidHandle => ErrorCategory.InvalidOperation,
            KrStatus.InvalidState => ErrorCategory.InvalidOperation,
            KrStatus.Io => ErrorCategory.ReadError,
            KrStatus.Crypto => ErrorCategory.SecurityError,
            KrStatus.Unsupported => ErrorCategory.NotImplemented,
            _ => ErrorCategory.NotSpecified,
        };
    }
}
