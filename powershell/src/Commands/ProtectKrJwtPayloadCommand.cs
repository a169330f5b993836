namespace KrJwt.Commands;

/// <summary>
/// Protect-KrJWTPayload: makes the builder issue nested JWTs, the signed JWS (custom headers
/// included) inside a compact JWE with <c>cty: JWT</c>. The key and the algorithm names are
/// checked now by the library (ErrorId KrJwt.InvalidKey for a key that does not fit,
/// KrJwt.InvalidArgument for an unknown name). A later call replaces the encryption key.
/// </summary>
/// <remarks>
/// -KeyAlg: dir, A128KW, A192KW, A256KW, A128GCMKW, A192GCMKW, A256GCMKW, PBES2-HS256+A128KW,
/// PBES2-HS384+A192KW, PBES2-HS512+A256KW (secrets); RSA-OAEP, RSA-OAEP-256/384/512, RSA1_5 (RSA);
/// ECDH-ES, ECDH-ES+A128KW/A192KW/A256KW (EC P-256/384/521, X25519; ECDH-ESA256KW is accepted too).
/// -EncAlg: A128GCM, A192GCM, A256GCM, A128CBC-HS256, A192CBC-HS384, A256CBC-HS512.
/// Empty, whitespace or Auto take the key's defaults: a secret uses dir with the content
/// encryption its size fits (16/24/32 bytes: A128/192/256GCM, 48: A192CBC-HS384, 64:
/// A256CBC-HS512); RSA uses RSA-OAEP + A256GCM; EC and X25519 use ECDH-ES + A256GCM.
/// Encrypting needs only a public key (PEM, certificate, JWK); the validator that decrypts needs
/// the private key or the secret.
/// </remarks>
[Cmdlet(VerbsSecurity.Protect, "KrJWTPayload")]
[OutputType(typeof(JwtTokenBuilder))]
public sealed class ProtectKrJwtPayloadCommand : BuilderMutationCmdlet, IDynamicParameters
{
    /// <summary>The recipient's key (<see cref="KeyParameters"/>, exactly one): a secret, or a public or private key.</summary>
    private readonly KeyParameters encryptionKey = new KeyParameters(KeyRole.Encryption, KeySources.Keys);

    /// <summary>The JWE key management algorithm (<c>alg</c>); empty for the key's default.</summary>
    [Parameter]
    [AllowEmptyString]
    [AllowNull]
    [Alias("KeyManagementAlgorithm")]
    [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
    public string? KeyAlg { get; set; } = string.Empty;

    /// <summary>The JWE content encryption algorithm (<c>enc</c>); empty for the key's default.</summary>
    [Parameter]
    [AllowEmptyString]
    [AllowNull]
    [Alias("ContentEncryptionAlgorithm")]
    [ArgumentCompleter(typeof(KrAlgorithmCompleter))]
    public string? EncAlg { get; set; } = string.Empty;

    private protected override void Apply(KrBuilderHandle builder)
    {
        using ImportedKeys keys = encryptionKey.Import(this);
        KrNative.Check(NativeMethods.kr_builder_encrypt(
            builder, keys.Key, AlgorithmNames.Requested(KeyAlg), AlgorithmNames.Requested(EncAlg)));
    }

    public object GetDynamicParameters() => KeyParameters.Declare(encryptionKey);
}
