using System.Runtime.InteropServices;

namespace KrJwt.Native;

/// <summary>Status checking and owned-string handling shared by every call site.</summary>
internal static class KrNative
{
    /// <summary>A call that returns a library-owned string through an out pointer.</summary>
    internal delegate KrStatus OutStringCall(out IntPtr value);

    /// <summary>Throws <see cref="KrJwtException"/> for any status but OK.</summary>
    internal static void Check(KrStatus status)
    {
        if (status != KrStatus.Ok)
        {
            throw Failure(status);
        }
    }

    /// <summary>
    /// The exception for a failed call, with this thread's last-error message. Must be called
    /// on the thread that made the call, right after it (the last error is per thread).
    /// </summary>
    internal static KrJwtException Failure(KrStatus status)
    {
        string? message = TakeString(NativeMethods.kr_last_error_get_message());
        if (string.IsNullOrEmpty(message))
        {
            message = $"The krjwt library reported {status} without a message.";
        }

        return new KrJwtException(status, message!);
    }

    /// <summary>Copies a library-owned UTF-8 string and frees the original (NULL gives null).</summary>
    internal static string? TakeString(IntPtr owned)
    {
        if (owned == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(owned);
        }
        finally
        {
            NativeMethods.kr_string_free(owned);
        }
    }

    /// <summary>Runs a call that returns an owned string, checks its status and takes the string.</summary>
    internal static string GetString(OutStringCall call)
    {
        KrStatus status = call(out IntPtr owned);
        if (status != KrStatus.Ok)
        {
            // Read the last error before anything else touches the library on this thread.
            KrJwtException failure = Failure(status);
            TakeString(owned);
            throw failure;
        }

        return TakeString(owned) ?? throw new KrJwtException(KrStatus.NullPointer, "The krjwt library returned no value.");
    }

    /// <summary>The library's crate version (a static string).</summary>
    internal static string Version()
    {
        IntPtr p = NativeMethods.kr_version();
        return p == IntPtr.Zero ? "unknown" : Marshal.PtrToStringUTF8(p) ?? "unknown";
    }
}
