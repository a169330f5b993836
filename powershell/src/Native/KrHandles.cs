using System.Runtime.InteropServices;

namespace KrJwt.Native;

/// <summary>
/// Base of the library's handle types. SafeHandle gives deterministic Dispose, a critical
/// finalizer as a backstop, and reference counting across P/Invoke calls, so a handle is never
/// freed while another thread is inside a call that uses it.
/// </summary>
internal abstract class KrHandle : SafeHandle
{
    private readonly Func<IntPtr, KrStatus> free;

    /// <param name="free">The library's free function for this kind of handle.</param>
    protected KrHandle(Func<IntPtr, KrStatus> free) : base(IntPtr.Zero, ownsHandle: true) => this.free = free;

    public override bool IsInvalid => handle == IntPtr.Zero;

    // ReleaseHandle may run on the finalizer thread; the free functions are thread-safe.
    protected override bool ReleaseHandle() => free(handle) == KrStatus.Ok;
}

// Each kind of handle is its own type so that a call cannot be given the wrong kind; P/Invoke
// creates them through the parameterless constructor.

/// <summary>A <c>KrBuilder*</c>.</summary>
internal sealed class KrBuilderHandle() : KrHandle(NativeMethods.kr_builder_free);

/// <summary>A <c>KrResult*</c>.</summary>
internal sealed class KrResultHandle() : KrHandle(NativeMethods.kr_result_free);

/// <summary>A <c>KrValidator*</c>.</summary>
internal sealed class KrValidatorHandle() : KrHandle(NativeMethods.kr_validator_free);

/// <summary>A <c>KrKey*</c>. The library zeroes the key material when the last reference goes.</summary>
internal sealed class KrKeyHandle() : KrHandle(NativeMethods.kr_key_free);
