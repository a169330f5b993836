using System;
using System.Runtime.InteropServices;

namespace KrJwt.Bench
{
    /// <summary>
    /// The floor of RSA signature verification for benches/KrJwt.Bench.ps1: OpenSSL's RSA public
    /// operation alone (<c>RSA_public_decrypt</c> with PKCS#1 v1.5 padding, what
    /// <c>openssl speed rsa2048</c> times as a verify), called from C# on the libcrypto that the
    /// module's native library uses. Not a cmdlet: the script calls <see cref="Run"/> in its loops.
    /// </summary>
    public sealed unsafe class RsaPublicOperation : IDisposable
    {
        private const int Pkcs1Padding = 1;

        private static readonly string[] LibraryNames = { "libcrypto.so.3", "libcrypto.3.dylib", "libcrypto-3-x64.dll", "libcrypto-3.dll" };

        private readonly delegate* unmanaged[Cdecl]<int, byte*, byte*, IntPtr, int, int> _publicDecrypt;
        private readonly delegate* unmanaged[Cdecl]<IntPtr, void> _free;
        private readonly byte[] _signature;
        private readonly byte[] _recovered;
        private IntPtr _rsa;

        /// <summary>The key (n, e, big-endian) and a signature made with it.</summary>
        public RsaPublicOperation(byte[] modulus, byte[] exponent, byte[] signature)
        {
            IntPtr library = IntPtr.Zero;
            foreach (string name in LibraryNames)
            {
                if (NativeLibrary.TryLoad(name, out library)) break;
            }
            if (library == IntPtr.Zero)
            {
                throw new DllNotFoundException($"OpenSSL 3 libcrypto was not found (tried {string.Join(", ", LibraryNames)}).");
            }
            var rsaNew = (delegate* unmanaged[Cdecl]<IntPtr>)NativeLibrary.GetExport(library, "RSA_new");
            var bin2bn = (delegate* unmanaged[Cdecl]<byte*, int, IntPtr, IntPtr>)NativeLibrary.GetExport(library, "BN_bin2bn");
            var set0Key = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, IntPtr, int>)NativeLibrary.GetExport(library, "RSA_set0_key");
            _publicDecrypt = (delegate* unmanaged[Cdecl]<int, byte*, byte*, IntPtr, int, int>)NativeLibrary.GetExport(library, "RSA_public_decrypt");
            _free = (delegate* unmanaged[Cdecl]<IntPtr, void>)NativeLibrary.GetExport(library, "RSA_free");

            _rsa = rsaNew();
            fixed (byte* n = modulus)
            fixed (byte* e = exponent)
            {
                // RSA_set0_key takes ownership of both numbers.
                if (_rsa == IntPtr.Zero || set0Key(_rsa, bin2bn(n, modulus.Length, IntPtr.Zero), bin2bn(e, exponent.Length, IntPtr.Zero), IntPtr.Zero) != 1)
                {
                    Dispose();
                    throw new InvalidOperationException("OpenSSL could not build the RSA key.");
                }
            }
            _signature = signature;
            _recovered = new byte[modulus.Length];
            Run(1);
        }

        /// <summary>Runs the public operation <paramref name="count"/> times on the signature.</summary>
        public void Run(int count)
        {
            ObjectDisposedException.ThrowIf(_rsa == IntPtr.Zero, this);
            fixed (byte* signature = _signature)
            fixed (byte* recovered = _recovered)
            {
                for (int i = 0; i < count; i++)
                {
                    if (_publicDecrypt(_signature.Length, signature, recovered, _rsa, Pkcs1Padding) <= 0)
                    {
                        throw new InvalidOperationException("RSA_public_decrypt refused the signature: it was not made with this key.");
                    }
                }
            }
        }

        public void Dispose()
        {
            if (_rsa != IntPtr.Zero)
            {
                _free(_rsa);
                _rsa = IntPtr.Zero;
            }
        }
    }
}
