namespace KrJwt.Commands;

/// <summary>
/// Protect-KrJWT: attaches the signing key. The library checks the key now (too short for the
/// algorithm, RSA under 2048 bits, wrong type for the algorithm, public-only, malformed) so a bad
/// key fails here, at the cmdlet that received it, with ErrorId KrJwt.InvalidKey (KrJwt.Io for a
/// file that cannot be read, KrJwt.InvalidJson for a JWK that is not JSON). A later call replaces
/// the signing key.
/// </summary>
/// <remarks>
/// Key sources (<see cref="KeyParameters"/>, exactly one): -Base64Url, -HexadecimalKey, -Passphrase,
/// -KeyBytes (secrets); -PemPath and -Pem (PKCS#1, PKCS#8, SEC1 private keys; RSA, EC P-256/384/521,
/// Ed25519); -JwkJson and -JwkPath (RSA, EC, OKP Ed25519 or oct with their private members);
/// -X509Certificate (an RSA or ECDSA certificate with an exportable private key).
/// -Algorithm Auto picks from the key: secrets by length (HS256/384/512), RSA RS256, EC by curve
/// (ES256/384/512), Ed25519 EdDSA. -Verbose tells the key type, the algorithm chosen and the kid.
/// -Pem also takes the lines Get-Content returns; -JwkJson also takes objects and hashtables.
/// </remarks>
[Cmdlet(VerbsSecurity.Protect, "KrJWT")]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class ProtectKrJwtCommand : BuilderMutationCmdlet, IDynamicParameters
{
    private readonly KeyParameters signingKey = new KeyParameters(KeyRole.Signing, KeySources.Keys);

    /// <summary>
    /// Algorithm names offered; matched case-insensitively, passed in JOSE spelling. Keep in
    /// step with the ValidateSet below (attribute arguments must be literals).
    /// </summary>
    internal static readonly string[] Algorithms = AlgorithmNames.Signing;

    /// <summary>The JWS algorithm, or Auto to choose from the key.</summary>
    [Parameter]
    [ValidateSet(
        "Auto", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
        "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
        IgnoreCase = true)]
    [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
    public string Algorithm { get; set; } = "Auto";

    private protected override void Apply(KrBuilderHandle builder)
    {
        // The builder keeps its own reference to the key; ours goes as soon as it is attached.
        using ImportedKeys keys = signingKey.Import(this);
        KrKeyHandle key = keys.Key;
        string? requested = CanonicalAlgorithm(Algorithm);
        KrNative.Check(NativeMethods.kr_builder_sign(builder, key, requested));
        if (VerboseEnabled)
        {
            WriteVerbose(KeyDescription.Summary(key));
            string? chosen = Builder.Algorithm;
            WriteVerbose(requested is null
                ? $"Algorithm: {chosen}, chosen by Auto from the key (name another with -Algorithm)."
                : $"Algorithm: {chosen}, as requested.");
            WriteVerbose($"Key id (kid header of the tokens): {Builder.KeyId}");
        }
    }

    public object GetDynamicParameters() => KeyParameters.Declare(signingKey);

    /// <summary>The JOSE spelling of a (case-insensitive) algorithm name; null for Auto.</summary>
    internal static string? CanonicalAlgorithm(string name)
    {
        foreach (string candidate in Algorithms)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate == "Auto" ? null : candidate;
            }
        }

        return name;
    }
}
