using System.Runtime.InteropServices;

namespace KrJwt.Native;

/// <summary>
/// Base of the library's handle types. SafeHandle gives deterministic Dispose, a critical
/// finalizer as a backstop, and reference counting across P/Invoke calls, so a handle is never
/// freed while another thread is inside a call that uses it.
/// </summary>
internal abstract class KrHandle : SafeHandle
{
    protected KrHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    // ReleaseHandle may run on the finalizer thread; the free functions are thread-safe.
    protected override bool ReleaseHandle() => Free(handle) == KrStatus.Ok;

    protected abstract KrStatus Free(IntPtr raw);
}

/// <summary>A <c>KrBuilder*</c>.</summary>
internal sealed class KrBuilderHandle : KrHandle
{
    public KrBuilderHandle()
    {
    }

    protected override KrStatus Free(IntPtr raw) => NativeMethods.kr_builder_free(raw);
}

/// <summary>A <c>KrResult*</c>.</summary>
internal sealed class KrResultHandle : KrHandle
{
    public KrResultHandle()
    {
    }

    protected override KrStatus Free(IntPtr raw) => NativeMethods.kr_result_free(raw);
}

/// <summary>A <c>KrValidator*</c>.</summary>
internal sealed class KrValidatorHandle : KrHandle
{
    public KrValidatorHandle()
    {
    }

    protected override KrStatus Free(IntPtr raw) => NativeMethods.kr_validator_free(raw);
}

/// <summary>A <c>KrKey*</c>. The library zeroes the key material when the last reference goes.</summary>
internal sealed class KrKeyHandle : KrHandle
{
    public KrKeyHandle()
    {
    }

    protected override KrStatus Free(IntPtr raw) => NativeMethods.kr_key_free(raw);
}
