namespace KrJwt.Commands;

/// <summary>
/// Get-KrJWTValidationParameter: validation parameters (a snapshot: later changes to a builder
/// do not alter them), for Test-KrJWT -ValidationParameter and bearer authentication.
/// </summary>
/// <remarks>
/// Result set (default, pipeline): parameters for tokens like the given build result: its
/// issuer and audiences, its verification key with the algorithm pinned, and for an encrypted
/// result its decryption key when the encrypting key can decrypt.
/// Key set (Key), for tokens issued elsewhere (an identity provider, another service): one
/// verification key (-Base64Url, -HexadecimalKey, -KeyBytes, -Passphrase, -PemPath, -Pem, -JwkJson,
/// -JwkPath, -X509Certificate; public keys are enough) or a JWK Set (-JwksJson, -JwksPath: a
/// token's kid selects the key), with -Issuer, -Audience, -Algorithm, -ClockSkew and, for
/// encrypted tokens, -Decryption* keys (any number). These come from <see cref="KeyParameters"/>.
/// RSA1_5 and PBES2 are only accepted when named with -KeyAlg (and -EncAlg).
/// Identity providers (sets Authority, JwksUri): the provider's key set is fetched now (OpenID
/// Connect discovery with -Authority), then kept fresh (-JwksCooldown, -JwksMaxAge); tokens must
/// carry its issuer and one of -Audience; each key brings its own algorithm.
/// Signed tokens are always required; alg none is never accepted.
/// </remarks>
[Cmdlet(VerbsCommon.Get, "KrJWTValidationParameter", DefaultParameterSetName = ResultSet)]
[OutputType(typeof(JwtValidationParameters))]
public sealed class GetKrJwtValidationParameterCommand : ProviderKeySetCmdlet, IDynamicParameters
{
    private const string ResultSet = "Result";
    private const string KeySet = "Key";

    /// <summary>One verification key or JWK Set.</summary>
    private readonly KeyParameters verificationKey = new KeyParameters(KeyRole.Verification, KeySources.Keys | KeySources.KeySets, KeySet);

    /// <summary>The keys that decrypt encrypted tokens: -DecryptionPem and so on, any number.</summary>
    private readonly KeyParameters decryptionKeys = new KeyParameters(KeyRole.Decryption, KeySources.Keys, KeySet, prefix: "Decryption", several: true);

    /// <summary>A build result whose tokens are to be validated.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = ResultSet)]
    [BuiltTokenArgument]
    public JwtBuilderResult Result { get; set; } = null!;

    /// <summary>Accepted issuers (iss); not checked when omitted.</summary>
    [Parameter(Mandatory = true, ParameterSetName = JwksUriSet)]
    [Parameter(ParameterSetName = KeySet)]
    [ValidateNotNull]
    public string[]? Issuer { get; set; }

    /// <summary>Accepted audiences (aud, any one matching); not checked when omitted.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AuthoritySet)]
    [Parameter(Mandatory = true, ParameterSetName = JwksUriSet)]
    [Parameter(ParameterSetName = KeySet)]
    [ValidateNotNull]
    public string[]? Audience { get; set; }

    /// <summary>The JWS algorithms to accept; each key is pinned to those it supports. Default: the key's own algorithm (secrets: by length, RSA: RS256, EC: by curve, Ed25519: EdDSA; a JWK's alg member).</summary>
    [Parameter(ParameterSetName = KeySet)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
    public string[]? Algorithm { get; set; }

    /// <summary>Tolerance for the exp/nbf checks (default 1 minute).</summary>
    [Parameter(Position = 1, ParameterSetName = ResultSet)]
    [Parameter(ParameterSetName = AuthoritySet)]
    [Parameter(ParameterSetName = JwksUriSet)]
    [Parameter(ParameterSetName = KeySet)]
    public TimeSpan ClockSkew { get; set; } = KrLibrary.DefaultClockSkew;

    /// <summary>
    /// Pins the decryption keys to one key management algorithm; needed for RSA1_5 and PBES2-*,
    /// which are never accepted unless named. Empty: every algorithm the keys fit.
    /// </summary>
    [Parameter(ParameterSetName = KeySet)]
    [AllowEmptyString]
    [AllowNull]
    [Alias("DecryptionKeyAlg")]
    [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
    public string? KeyAlg { get; set; }

    /// <summary>Pins the decryption keys to one content encryption algorithm (with -KeyAlg).</summary>
    [Parameter(ParameterSetName = KeySet)]
    [AllowEmptyString]
    [AllowNull]
    [Alias("DecryptionEncAlg")]
    [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
    public string? EncAlg { get; set; }

    /// <summary>
    /// Refuse tokens that are not encrypted: a plain JWS, even correctly signed, is reported as
    /// AlgorithmNotAllowed. Needs a -Decryption* key.
    /// </summary>
    [Parameter(ParameterSetName = KeySet)]
    public SwitchParameter RequireEncryption { get; set; }

    /// <summary>
    /// The most PBES2 iterations (p2c) an encrypted token may demand, 1,000 to 10,000,000 (default
    /// 10,000, jose's default: each iteration is work a forged token makes the verifier do).
    /// </summary>
    [Parameter(ParameterSetName = KeySet)]
    public int MaxPbes2Count { get; set; }

    protected override object? ErrorTarget => ParameterSetName switch
    {
        ResultSet => ErrorTargets.Token(Result),
        AuthoritySet => Authority,
        JwksUriSet => JwksUri,
        _ => null,
    };

    /// <summary>Outputs the parameters after saying what they check (-Verbose) and what they do not (warnings).</summary>
    private void Write(JwtValidationParameters parameters)
    {
        if (VerboseEnabled)
        {
            foreach (string check in parameters.Checks())
            {
                WriteVerbose(check);
            }
        }

        bool fromResult = ParameterSetName == ResultSet;
        if (!parameters.ValidateIssuer)
        {
            WriteWarning("These validation parameters accept tokens from any issuer: " + (fromResult
                ? "the build result has no issuer. Give the builder one (Add-KrJWTIssuer) to have it checked."
                : "name the issuers you trust with -Issuer."));
        }

        if (!parameters.ValidateAudience)
        {
            WriteWarning("These validation parameters accept tokens meant for any audience: " + (fromResult
                ? "the build result has no audience. Give the builder one (Add-KrJWTAudience) to have it checked."
                : "name this service's audience with -Audience."));
        }

        WriteObject(parameters);
    }

    protected override void ProcessItem()
    {
        if (ParameterSetName == ResultSet)
        {
            Write(Result.CreateValidationParameters(ClockSkew));
            return;
        }

        if (FromProvider)
        {
            WriteObject(ProviderParameters(new ValidatorOptions { Issuers = Issuer, Audiences = Audience, ClockSkewSeconds = ClockSkew.TotalSeconds }));
            return;
        }

        var options = new ValidatorOptions
        {
            Issuers = Issuer,
            Audiences = Audience,
            Algorithms = Algorithm,
            ClockSkewSeconds = ClockSkew.TotalSeconds,
            KeyManagementAlgorithm = AlgorithmNames.Requested(KeyAlg),
            ContentEncryptionAlgorithm = AlgorithmNames.Requested(EncAlg),
            RequireEncryption = RequireEncryption.IsPresent,
            MaxPbes2Count = MyInvocation.BoundParameters.ContainsKey(nameof(MaxPbes2Count)) ? MaxPbes2Count : (int?)null,
        };

        // The validator holds its own references to the keys; ours go when it is made.
        using ImportedKeys verification = verificationKey.Import(this);
        using ImportedKeys decryption = decryptionKeys.Import(this);
        options.JwksJson = verification.KeySetJson;
        Write(ValidatorFactory.Create(options, verification.Keys, decryption.Keys));
    }

    public object GetDynamicParameters() => KeyParameters.Declare(verificationKey, decryptionKeys);
}
