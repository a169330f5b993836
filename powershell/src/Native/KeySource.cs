using System.IO;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace KrJwt.Native;

/// <summary>Where a cmdlet's key material comes from (one parameter set each).</summary>
internal enum KeyInput
{
    Base64Url,
    Hex,
    Passphrase,
    Bytes,
    Pem,
    PemPath,
    JwkJson,
    JwkPath,
    Certificate,
}

/// <summary>What a certificate is needed for: its private key (signing, decrypting) or its public key.</summary>
internal enum CertificateKey
{
    Public,
    Private,
}

/// <summary>
/// Turns the key parameters of the cmdlets (text, bytes, files, certificates) into library key
/// handles. It only moves bytes: files are read and certificates exported with .NET, and the
/// bytes go to <c>kr_key_import</c> with their <see cref="KrKeyFormat"/>; the library parses and
/// checks them. Buffers holding private material are pinned and zeroed after the import.
/// </summary>
internal static class KeySource
{
    // $env:NAME and ${env:NAME} in a path PowerShell did not expand (single quotes, parameters
    // built in code). %NAME% is handled by Environment.ExpandEnvironmentVariables.
    private static readonly Regex PowerShellEnvironmentVariable = new Regex(
        @"\$\{env:(?<name>[^}]+)\}|\$env:(?<name>[A-Za-z_][A-Za-z0-9_]*)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>
    /// Imports the key given in one of the cmdlet's key parameter sets. <paramref name="parameter"/>
    /// names the parameter that gave a file path (default: PemPath or JwkPath), for messages.
    /// </summary>
    internal static KrKeyHandle Import(PSCmdlet cmdlet, KeyInput input, object value, CertificateKey certificateKey, string? parameter = null)
    {
        switch (input)
        {
            case KeyInput.Base64Url:
                return KeyImport.FromText(KrKeyFormat.Base64Url, (string)value);
            case KeyInput.Hex:
                return KeyImport.FromText(KrKeyFormat.Hex, (string)value);
            case KeyInput.Passphrase:
                return KeyImport.FromPassphrase((SecureString)value);
            case KeyInput.Bytes:
                // The caller's array stays the caller's: it is neither copied nor wiped.
                return KeyImport.FromBytes(KrKeyFormat.Secret, (byte[])value);
            case KeyInput.Pem:
                return KeyImport.FromText(KrKeyFormat.Pem, (string)value);
            case KeyInput.PemPath:
                return FromFile(cmdlet, (string)value, parameter ?? "PemPath", KrKeyFormat.Pem, "PEM");
            case KeyInput.JwkJson:
                return KeyImport.FromText(KrKeyFormat.Jwk, (string)value);
            case KeyInput.JwkPath:
                return FromFile(cmdlet, (string)value, parameter ?? "JwkPath", KrKeyFormat.Jwk, "JWK");
            case KeyInput.Certificate:
                return FromCertificate((X509Certificate2)value, certificateKey);
            default:
                throw new ArgumentOutOfRangeException(nameof(input));
        }
    }

    /// <summary>
    /// A file path as the user meant it: <c>~</c> is the home directory, environment variables
    /// (<c>%NAME%</c>, <c>$env:NAME</c>) are expanded, and a relative path is resolved against the
    /// current PowerShell location (not the process's working directory).
    /// </summary>
    internal static string ResolvePath(PSCmdlet cmdlet, string path)
    {
        string expanded = Environment.ExpandEnvironmentVariables(path.Trim());
        expanded = PowerShellEnvironmentVariable.Replace(
            expanded,
            m => Environment.GetEnvironmentVariable(m.Groups["name"].Value) ?? throw KrJwtException.FileUnreadable(
                $"The path '{path}' uses the environment variable {m.Groups["name"].Value}, which is not set. Set it, or give the path without it."));
        if (expanded == "~" || expanded.StartsWith("~/", StringComparison.Ordinal) || expanded.StartsWith("~\\", StringComparison.Ordinal))
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            expanded = expanded.Length == 1 ? home : Path.Combine(home, expanded.Substring(2));
        }

        try
        {
            return cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(expanded);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            throw KrJwtException.FileUnreadable(
                $"The path '{path}' cannot be resolved to a file: {ex.Message} Give a file system path (absolute, or relative to the current location).",
                ex);
        }
    }

    /// <summary>Reads a JWK Set file, with the same path rules and errors as key files.</summary>
    internal static string ReadPublicTextFile(PSCmdlet cmdlet, string path, string parameter, string what)
    {
        RefuseContent(path, parameter);
        string resolved = ResolvePath(cmdlet, path);
        try
        {
            return File.ReadAllText(resolved);
        }
        catch (Exception ex) when (IsFileProblem(ex))
        {
            throw FileFailure(cmdlet, path, resolved, what, ex);
        }
    }

    /// <summary>Imports a key file (PEM or JWK) read into a pinned buffer that is wiped afterwards.</summary>
    private static KrKeyHandle FromFile(PSCmdlet cmdlet, string path, string parameter, KrKeyFormat format, string what)
    {
        RefuseContent(path, parameter);
        string resolved = ResolvePath(cmdlet, path);
        byte[] buffer = Array.Empty<byte>();
        int length;
        try
        {
            using var stream = new FileStream(resolved, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.Length > 1 << 20)
            {
                throw new KrJwtException(
                    KrStatus.InvalidKey,
                    $"The {what} file '{resolved}' is {stream.Length} bytes, too large for a key file (limit 1 MiB). Check that the path names the key file.");
            }

            buffer = GC.AllocateUninitializedArray<byte>((int)stream.Length, pinned: true);
            length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }
        }
        catch (Exception ex) when (IsFileProblem(ex))
        {
            CryptographicOperations.ZeroMemory(buffer);
            throw FileFailure(cmdlet, path, resolved, what, ex);
        }

        try
        {
            return KeyImport.FromBytes(format, buffer, length);
        }
        catch (KrJwtException ex)
        {
            // Say which file the library's complaint is about.
            throw ex.WithMessage($"{ex.Message} (file '{resolved}')");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>
    /// A certificate's key: the certificate itself (DER) when its public key is enough, else its
    /// private key exported as PKCS#8 DER into a pinned buffer that is wiped after the import.
    /// </summary>
    internal static KrKeyHandle FromCertificate(X509Certificate2 certificate, CertificateKey which)
    {
        if (which == CertificateKey.Public)
        {
            return KeyImport.FromBytes(KrKeyFormat.Der, certificate.RawData);
        }

        string name = Describe(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new KrJwtException(
                KrStatus.InvalidKey,
                $"The certificate {name} has no private key, which signing and decryption need. Load the certificate " +
                "together with its private key (for a .pfx/.p12 file: [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($path, $password, 'Exportable')), " +
                "or give the private key with -PemPath or -JwkJson.");
        }

        AsymmetricAlgorithm? key;
        try
        {
            key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey();
        }
        catch (CryptographicException ex)
        {
            throw NotExportable(name, ex);
        }

        if (key is null)
        {
            throw new KrJwtException(
                KrStatus.InvalidKey,
                $"The certificate {name} has a {certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value} key; " +
                ".NET gives access to the private keys of RSA and ECDSA certificates only. Export the private key as PKCS#8 PEM and use -PemPath.");
        }

        using (key)
        {
            // PKCS#8 of an RSA-16384 key stays below 10 kB; start with room for RSA-4096.
            for (int size = 4096; size <= 1 << 16; size *= 2)
            {
                byte[] buffer = GC.AllocateUninitializedArray<byte>(size, pinned: true);
                try
                {
                    bool exported;
                    int written;
                    try
                    {
                        exported = key.TryExportPkcs8PrivateKey(buffer, out written);
                    }
                    catch (CryptographicException ex)
                    {
                        throw NotExportable(name, ex);
                    }

                    if (exported)
                    {
                        return KeyImport.FromBytes(KrKeyFormat.Der, buffer, written);
                    }
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(buffer);
                }
            }
        }

        throw new KrJwtException(KrStatus.InvalidKey, $"The private key of the certificate {name} is too large to export.");
    }

    /// <summary>
    /// Refuses a *Path value that is not a path but the key itself (PEM, JSON, hex or base64 text
    /// pasted into the wrong parameter): the messages about paths repeat the path, and this one
    /// would be key material. It is described, never shown, with the parameter that takes it.
    /// </summary>
    internal static void RefuseContent(string value, string parameter)
    {
        string? looksLike = LooksLike(value.Trim());
        if (looksLike is null)
        {
            return;
        }

        string instead = parameter.Replace("PemPath", "Pem").Replace("JwksPath", "JwksJson").Replace("JwkPath", "JwkJson");
        throw new KrJwtException(
            KrStatus.InvalidArgument,
            $"The value of -{parameter} looks like {looksLike}, not a file path. It is not shown here, since it may be key material. " +
            $"Give the path of a file with -{parameter}, or pass the text itself with -{instead}.");
    }

    private static readonly Regex Hexadecimal = new Regex("^[0-9a-fA-F]{32,}$", RegexOptions.CultureInvariant);
    private static readonly Regex Base64 = new Regex("^[A-Za-z0-9+/_-]{40,}={0,2}$", RegexOptions.CultureInvariant);

    /// <summary>What a value given as a path is, when it is obviously not a path.</summary>
    private static string? LooksLike(string value) => value switch
    {
        _ when value.Contains("-----BEGIN", StringComparison.Ordinal) => "PEM text",
        _ when value.StartsWith("{", StringComparison.Ordinal) || value.StartsWith("[", StringComparison.Ordinal) => "JSON text (a JWK or JWK Set)",
        _ when Hexadecimal.IsMatch(value) => "hexadecimal key text",
        _ when Base64.IsMatch(value) => "base64 text",
        _ when value.IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0 || value.Length > 4096 => "text with line breaks or NUL characters",
        _ => null,
    };

    private static KrJwtException NotExportable(string name, CryptographicException ex) => new KrJwtException(
        KrStatus.InvalidKey,
        $"The private key of the certificate {name} cannot be exported ({ex.Message.TrimEnd('.')}). KrJwt signs and decrypts in its " +
        "native library and needs the key material: load the certificate with X509KeyStorageFlags.Exportable, " +
        "or export the key to a PEM file and use -PemPath.",
        ex);

    private static string Describe(X509Certificate2 certificate) => $"'{certificate.Subject}' (thumbprint {certificate.Thumbprint})";

    private static bool IsFileProblem(Exception ex) =>
        ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException || ex is SecurityException;

    private static KrJwtException FileFailure(PSCmdlet cmdlet, string given, string resolved, string what, Exception ex)
    {
        string location;
        try
        {
            location = cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        }
        catch (Exception)
        {
            location = Environment.CurrentDirectory;
        }

        string reason = ex switch
        {
            FileNotFoundException => "the file does not exist",
            DirectoryNotFoundException => "its folder does not exist",
            UnauthorizedAccessException when Directory.Exists(resolved) => "it is a folder, not a file",
            UnauthorizedAccessException => "access is denied (check the file's permissions)",
            _ => ex.Message.TrimEnd('.'),
        };
        string shown = string.Equals(given, resolved, StringComparison.Ordinal) ? $"'{resolved}'" : $"'{resolved}' (given as '{given}')";
        return KrJwtException.FileUnreadable(
            $"Cannot read the {what} file {shown}: {reason}. Check the path: a relative path is resolved against the current location ('{location}'); ~ and environment variables are expanded.",
            ex);
    }
}
