namespace KrJwt.Commands;

/// <summary>
/// Get-KrJWTInfo: decodes a token WITHOUT validating it (no signature, lifetime, issuer or
/// audience check): use it to read a token, never to decide whether to trust it (Test-KrJWT
/// does that). Claim values keep their JSON types (arrays stay arrays). For an encrypted token
/// (JWE) it returns the outer header with IsEncrypted; given a decryption key (one of
/// <see cref="KeyParameters"/>: -Base64Url, -HexadecimalKey, -KeyBytes, -Passphrase, -PemPath, -Pem,
/// -JwkJson, -JwkPath, -X509Certificate) or the -Result / -ValidationParameter holding one, it
/// decrypts and describes the signed token inside.
/// </summary>
/// <remarks>
/// Tokens come from the pipeline (strings, or objects with a Token, access_token or AccessToken
/// property: build results, an OAuth token response from Invoke-RestMethod). A token that cannot be decoded or decrypted is a non-terminating error
/// (KrJwt.InvalidToken), so the other tokens are still read; a bad key is terminating.
/// RSA1_5 and PBES2 tokens are decrypted only when -KeyAlg names the algorithm.
/// </remarks>
[Cmdlet(VerbsCommon.Get, "KrJWTInfo", DefaultParameterSetName = TokenSet)]
[OutputType(typeof(JwtInfo))]
public sealed class GetKrJwtInfoCommand : KrJwtCmdlet, IDynamicParameters, IDisposable
{
    private const string TokenSet = "Token";
    private const string KeySet = "Key";
    private const string ResultSet = "Result";
    private const string ValidationParameterSet = "ValidationParameter";
    private const string ContextSet = "Context";

    /// <summary>A key that decrypts an encrypted token (<see cref="KeyParameters"/>, one).</summary>
    private readonly KeyParameters decryptionKey = new KeyParameters(KeyRole.Decryption, KeySources.Keys, KeySet);

    // The decryption key, imported once for the whole pipeline.
    private ImportedKeys? key;

    /// <summary>The compact token (JWS or JWE).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TokenSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = KeySet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ResultSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ValidationParameterSet)]
    [Alias("access_token", "AccessToken")]
    [BuiltTokenArgument]
    public string Token { get; set; } = null!;

    /// <summary>A build result whose encryption key (a secret or a private key) decrypts the token.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResultSet)]
    public JwtBuilderResult Result { get; set; } = null!;

    /// <summary>Validation parameters whose decryption keys decrypt the token (nothing is validated).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ValidationParameterSet)]
    public JwtValidationParameters ValidationParameter { get; set; } = null!;

    /// <summary>
    /// With a decryption key: the JWE key management algorithm to accept. Empty: every one the key
    /// fits except RSA1_5 and PBES2, which must be named.
    /// </summary>
    [Parameter(ParameterSetName = KeySet)]
    [AllowEmptyString]
    [AllowNull]
    [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
    public string? KeyAlg { get; set; }

    /// <summary>With a decryption key: the JWE content encryption to accept. Empty: any.</summary>
    [Parameter(ParameterSetName = KeySet)]
    [AllowEmptyString]
    [AllowNull]
    [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
    public string? EncAlg { get; set; }

    /// <summary>
    /// Read the bearer token of the current request ($Context.Request.Headers['Authorization'],
    /// scheme in any case). No bearer token: a non-terminating KrJwt.NoBearerToken error, no output.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ContextSet)]
    public SwitchParameter FromContext { get; set; }

    /// <summary>
    /// With -FromContext: a registered bearer scheme (Add-KrJWTBearerAuthentication) whose
    /// decryption keys decrypt an encrypted request token (nothing is validated).
    /// </summary>
    [Parameter(ParameterSetName = ContextSet)]
    [Alias("AuthenticationScheme")]
    [ArgumentCompleter(typeof(KrBearerSchemeCompleter))]
    public string? Scheme { get; set; }

    protected override object? ErrorTarget => ErrorTargets.Token(Token);

    public object GetDynamicParameters() => KeyParameters.Declare(decryptionKey);

    public void Dispose()
    {
        key?.Dispose();
        key = null;
    }

    protected override void ProcessItem()
    {
        if (ParameterSetName == ContextSet)
        {
            string? bearer = BearerToken.ReadOrReport(this, "bearer token");
            if (bearer is null)
            {
                return;
            }

            Token = bearer;
        }

        string json;
        Utf8Token token = Utf8Token.Of(Token);
        switch (ParameterSetName)
        {
            case ContextSet when !string.IsNullOrEmpty(Scheme):
                JwtValidationParameters fromScheme = SchemeParameters();
                json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_inspect(fromScheme.Handle, token.Bytes, token.Length, out p)));
                break;
            case TokenSet:
            case ContextSet:
                json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_token_inspect(token.Bytes, token.Length, out p)));
                break;
            case ResultSet:
                JwtValidationParameters fromResult = Result.CachedValidationParameters(KrLibrary.DefaultClockSkew);
                json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_inspect(fromResult.Handle, token.Bytes, token.Length, out p)));
                break;
            case ValidationParameterSet:
                json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_inspect(ValidationParameter.Handle, token.Bytes, token.Length, out p)));
                break;
            default:
                KrKeyHandle imported = (key ??= decryptionKey.Import(this)).Key;
                json = Inspect(() => KrNative.GetString((out IntPtr p) => NativeMethods.kr_token_inspect_with_key(imported, AlgorithmNames.Requested(KeyAlg), AlgorithmNames.Requested(EncAlg), token.Bytes, token.Length, out p)));
                break;
        }

        if (json.Length > 0)
        {
            WriteObject(JwtInfo.FromJson(json));
        }
    }

    private JwtValidationParameters SchemeParameters()
    {
        try
        {
            return JwtBearerSchemes.Resolve(Scheme).ValidationParameters;
        }
        catch (ItemNotFoundException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "KrJwt.SchemeNotFound", ErrorCategory.ObjectNotFound, Scheme));
            throw; // not reached
        }
    }

    /// <summary>Runs an inspection; a token that cannot be read is reported and skipped (empty result).</summary>
    private string Inspect(Func<string> inspect)
    {
        try
        {
            return inspect();
        }
        catch (KrJwtException ex) when (ex.Status == KrStatus.InvalidToken)
        {
            WriteError(new ErrorRecord(ex, ex.ErrorId, ex.Category, ErrorTargets.Token(Token)));
            return string.Empty;
        }
    }
}
