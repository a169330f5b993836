using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace KrJwt.Native;

/// <summary>
/// Marshals a string argument of the C ABI as NUL-terminated UTF-8 and refuses a string that
/// contains U+0000: the library would read it only up to that character and silently drop the
/// rest (<c>"alice\0admin"</c> would become <c>"alice"</c>). The marshal cookie names the
/// argument for the message. Tokens do not come through here: they cross with their length
/// (<see cref="Utf8Token"/>), so that a NUL makes them malformed instead of shorter.
/// </summary>
internal sealed class Utf8Argument : ICustomMarshaler
{
    private static readonly ConcurrentDictionary<string, Utf8Argument> Instances = new ConcurrentDictionary<string, Utf8Argument>();

    private readonly string what;

    private Utf8Argument(string what) => this.what = what;

    /// <summary>Called by the runtime once per cookie (the argument's description).</summary>
    public static ICustomMarshaler GetInstance(string cookie) => Instances.GetOrAdd(cookie, c => new Utf8Argument(c));

    public IntPtr MarshalManagedToNative(object managed)
    {
        if (managed is not string text)
        {
            return IntPtr.Zero;
        }

        if (text.IndexOf('\0') >= 0)
        {
            // The value is not repeated: it may be anything, a claim or a header included.
            throw new KrJwtException(
                KrStatus.InvalidArgument,
                $"The {what} contains a NUL character (U+0000). KrJwt refuses such text: the native library would read it only up to the NUL and drop the rest. Remove the NUL character.");
        }

        return Marshal.StringToCoTaskMemUTF8(text);
    }

    public void CleanUpNativeData(IntPtr native) => Marshal.FreeCoTaskMem(native);

    public object MarshalNativeToManaged(IntPtr native) => throw new NotSupportedException("Utf8Argument marshals arguments into the library only.");

    public void CleanUpManagedData(object managed)
    {
    }

    public int GetNativeDataSize() => -1;
}

/// <summary>A token as the C ABI takes it: its UTF-8 bytes and their count, every character included.</summary>
internal readonly struct Utf8Token
{
    private Utf8Token(byte[] bytes) => Bytes = bytes;

    internal byte[] Bytes { get; }

    internal UIntPtr Length => (UIntPtr)Bytes.Length;

    /// <summary>A null token is the empty one (which validation reports as Malformed).</summary>
    internal static Utf8Token Of(string? token) => new Utf8Token(System.Text.Encoding.UTF8.GetBytes(token ?? string.Empty));
}
