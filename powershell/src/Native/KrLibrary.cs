namespace KrJwt.Native;

/// <summary>
/// What the native library knows (<c>kr_library_describe</c>), read once: the algorithm names it
/// accepts, the <see cref="UserIdentityClaim"/> members with the claims they write, and its
/// defaults. The module keeps no copies of these lists.
/// </summary>
internal static class KrLibrary
{
    private static readonly Lazy<Vocabulary> Current = new Lazy<Vocabulary>(Read);

    /// <summary>JWS algorithm names, in the library's order.</summary>
    internal static IReadOnlyList<string> SigningAlgorithms => Current.Value.Signing;

    /// <summary>JWE key management algorithm names.</summary>
    internal static IReadOnlyList<string> KeyManagementAlgorithms => Current.Value.KeyManagement;

    /// <summary>JWE content encryption algorithm names.</summary>
    internal static IReadOnlyList<string> ContentEncryptionAlgorithms => Current.Value.ContentEncryption;

    /// <summary>The claim each <see cref="UserIdentityClaim"/> member writes (a URI or its short JWT name), by member name.</summary>
    internal static IReadOnlyDictionary<string, string> UserClaimsWritten => Current.Value.UserClaimsWritten;

    /// <summary>The clock skew validation allows when none is given.</summary>
    internal static TimeSpan DefaultClockSkew => Current.Value.DefaultClockSkew;

    private static Vocabulary Read()
    {
        string json = KrNative.GetString((out IntPtr p) => NativeMethods.kr_library_describe(out p));
        using JsonDocument document = JsonToPowerShell.Parse(json);
        JsonElement root = document.RootElement;
        JsonElement algorithms = root.GetProperty("algorithms");
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonElement claim in root.GetProperty("userClaimTypes").EnumerateArray())
        {
            written[claim.GetProperty("member").GetString()!] = claim.GetProperty("writtenAs").GetString()!;
        }

        return new Vocabulary(
            JsonToPowerShell.Strings(algorithms, "signing"),
            JsonToPowerShell.Strings(algorithms, "keyManagement"),
            JsonToPowerShell.Strings(algorithms, "contentEncryption"),
            written,
            TimeSpan.FromSeconds(root.GetProperty("defaults").GetProperty("clockSkewSeconds").GetDouble()));
    }

    private sealed class Vocabulary
    {
        internal Vocabulary(
            string[] signing,
            string[] keyManagement,
            string[] contentEncryption,
            IReadOnlyDictionary<string, string> userClaimsWritten,
            TimeSpan defaultClockSkew)
        {
            Signing = signing;
            KeyManagement = keyManagement;
            ContentEncryption = contentEncryption;
            UserClaimsWritten = userClaimsWritten;
            DefaultClockSkew = defaultClockSkew;
        }

        internal string[] Signing { get; }

        internal string[] KeyManagement { get; }

        internal string[] ContentEncryption { get; }

        internal IReadOnlyDictionary<string, string> UserClaimsWritten { get; }

        internal TimeSpan DefaultClockSkew { get; }
    }
}
