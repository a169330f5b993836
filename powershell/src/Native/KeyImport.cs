using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace KrJwt.Native;

/// <summary>
/// Hands key material to <c>kr_key_import</c>. The module never decodes keys: it passes the
/// text or bytes with their <see cref="KrKeyFormat"/>. Secret buffers are pinned (so the GC
/// leaves no stray copies) and zeroed as soon as the library has taken its own copy.
/// </summary>
internal static class KeyImport
{
    /// <summary>Imports key text (Base64Url, hex, JWK JSON, PEM) as UTF-8 bytes.</summary>
    internal static KrKeyHandle FromText(KrKeyFormat format, string text)
    {
        byte[] bytes = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(text), pinned: true);
        try
        {
            Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
            return FromBytes(format, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Imports a SecureString passphrase as its UTF-8 bytes (the HMAC secret), without ever
    /// making a managed string of it.
    /// </summary>
    internal static KrKeyHandle FromPassphrase(SecureString passphrase)
    {
        IntPtr unicode = Marshal.SecureStringToGlobalAllocUnicode(passphrase);
        char[] chars = GC.AllocateUninitializedArray<char>(passphrase.Length, pinned: true);
        byte[]? bytes = null;
        try
        {
            Marshal.Copy(unicode, chars, 0, chars.Length);
            bytes = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(chars), pinned: true);
            Encoding.UTF8.GetBytes(chars, 0, chars.Length, bytes, 0);
            return FromBytes(KrKeyFormat.Passphrase, bytes);
        }
        finally
        {
            Array.Clear(chars);
            if (bytes is not null)
            {
                CryptographicOperations.ZeroMemory(bytes);
            }

            Marshal.ZeroFreeGlobalAllocUnicode(unicode);
        }
    }

    /// <summary>Imports raw bytes in the given format; the caller wipes its buffer afterwards.</summary>
    internal static KrKeyHandle FromBytes(KrKeyFormat format, byte[] bytes) => FromBytes(format, bytes, bytes.Length);

    /// <summary>
    /// Imports the first <paramref name="length"/> bytes of <paramref name="bytes"/> (a pinned
    /// buffer larger than its content); the caller wipes its buffer afterwards.
    /// </summary>
    internal static KrKeyHandle FromBytes(KrKeyFormat format, byte[] bytes, int length)
    {
        if ((uint)length > (uint)bytes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        KrStatus status = NativeMethods.kr_key_import(format, bytes, (UIntPtr)length, out KrKeyHandle key);
        if (status != KrStatus.Ok)
        {
            KrJwtException failure = KrNative.Failure(status);
            key.Dispose();
            throw failure;
        }

        return key;
    }
}
