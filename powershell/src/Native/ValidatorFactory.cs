using System.IO;
using System.Text;

namespace KrJwt.Native;

/// <summary>
/// The options of <c>kr_validator_new</c> (docs/c-abi.md). Null members are left out, so the
/// library's defaults apply (clock skew 60 s, lifetime and expiration required, issuer and
/// audience checked when given).
/// </summary>
internal sealed class ValidatorOptions
{
    internal IReadOnlyList<string>? Issuers { get; set; }
    internal IReadOnlyList<string>? Audiences { get; set; }
    internal IReadOnlyList<string>? Algorithms { get; set; }
    internal double? ClockSkewSeconds { get; set; }
    internal bool? ValidateLifetime { get; set; }
    internal bool? RequireExpiration { get; set; }
    internal bool? ValidateIssuer { get; set; }
    internal bool? ValidateAudience { get; set; }

    /// <summary>A JWK Set document (JSON text) whose keys are selected by <c>kid</c>.</summary>
    internal string? JwksJson { get; set; }

    /// <summary>Where <see cref="JwksJson"/> was fetched from: such a set must hold public keys only.</summary>
    internal string? JwksUri { get; set; }

    /// <summary>Why the key set could not be fetched again (tokens naming a key it lacks: KeySetUnavailable).</summary>
    internal string? JwksUnavailable { get; set; }

    /// <summary>Pins decryption keys to one key management algorithm (needed for RSA1_5 and PBES2).</summary>
    internal string? KeyManagementAlgorithm { get; set; }

    /// <summary>Pins decryption keys to one content encryption algorithm.</summary>
    internal string? ContentEncryptionAlgorithm { get; set; }

    /// <summary>Refuses tokens that are not encrypted (needs decryption keys).</summary>
    internal bool? RequireEncryption { get; set; }

    /// <summary>The most PBES2 iterations (p2c) a token may demand; the library's default (10,000) when null.</summary>
    internal int? MaxPbes2Count { get; set; }

    /// <summary>These options with a fetched key set (a copy: the options stay a template).</summary>
    internal ValidatorOptions WithKeySet(string jwksJson, string jwksUri, string? unavailable)
    {
        var copy = (ValidatorOptions)MemberwiseClone();
        copy.JwksJson = jwksJson;
        copy.JwksUri = jwksUri;
        copy.JwksUnavailable = unavailable;
        return copy;
    }

    /// <summary>The options as the JSON object the library reads (System.Text.Json, no hand-made JSON).</summary>
    internal string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            WriteStrings(writer, "issuers", Issuers);
            WriteStrings(writer, "audiences", Audiences);
            WriteStrings(writer, "algorithms", Algorithms);
            if (ClockSkewSeconds is double skew)
            {
                writer.WriteNumber("clockSkewSeconds", skew);
            }

            WriteBool(writer, "validateLifetime", ValidateLifetime);
            WriteBool(writer, "requireExpiration", RequireExpiration);
            WriteBool(writer, "validateIssuer", ValidateIssuer);
            WriteBool(writer, "validateAudience", ValidateAudience);
            if (JwksJson is string jwks)
            {
                writer.WritePropertyName("jwks");
                try
                {
                    // Copied as a JSON value (validated by the writer); the library reads the keys.
                    using JsonDocument document = JsonDocument.Parse(jwks, new JsonDocumentOptions { MaxDepth = 64 });
                    document.RootElement.WriteTo(writer);
                }
                catch (JsonException ex)
                {
                    throw new KrJwtException(
                        KrStatus.InvalidJson,
                        $"The JWK Set is not valid JSON ({ex.Message}). Supply a document such as {{\"keys\":[{{\"kty\":\"RSA\",\"kid\":\"...\",\"n\":\"...\",\"e\":\"AQAB\"}}]}}.",
                        ex);
                }
            }

            WriteString(writer, "jwksUri", JwksUri);
            WriteString(writer, "jwksUnavailable", JwksUnavailable);
            WriteString(writer, "keyManagementAlgorithm", KeyManagementAlgorithm);
            WriteString(writer, "contentEncryptionAlgorithm", ContentEncryptionAlgorithm);

            WriteBool(writer, "requireEncryption", RequireEncryption);
            if (MaxPbes2Count is int count)
            {
                writer.WriteNumber("maxPbes2Count", count);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteBool(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is bool b)
        {
            writer.WriteBoolean(name, b);
        }
    }
}

/// <summary>Creates validation parameters with <c>kr_validator_new</c>.</summary>
internal static class ValidatorFactory
{
    /// <summary>
    /// A validator from options, verification keys and decryption keys. The key handles stay
    /// the caller's (the validator keeps its own references); they are kept alive for the call.
    /// </summary>
    internal static JwtValidationParameters Create(
        ValidatorOptions options,
        IReadOnlyList<KrKeyHandle> keys,
        IReadOnlyList<KrKeyHandle> decryptionKeys) =>
        new JwtValidationParameters(CreateHandle(options, keys, decryptionKeys));

    /// <summary>As <see cref="Create"/>, the bare validator handle (the caller owns it).</summary>
    internal static KrValidatorHandle CreateHandle(
        ValidatorOptions options,
        IReadOnlyList<KrKeyHandle> keys,
        IReadOnlyList<KrKeyHandle> decryptionKeys)
    {
        var added = new List<KrKeyHandle>();
        try
        {
            IntPtr[] raw = AddRefs(keys, added);
            IntPtr[] rawDecryption = AddRefs(decryptionKeys, added);
            KrStatus status = NativeMethods.kr_validator_new(
                options.ToJson(),
                raw,
                (UIntPtr)raw.Length,
                rawDecryption,
                (UIntPtr)rawDecryption.Length,
                out KrValidatorHandle validator);
            if (status != KrStatus.Ok)
            {
                KrJwtException failure = KrNative.Failure(status);
                validator.Dispose();
                throw failure;
            }

            return validator;
        }
        finally
        {
            foreach (KrKeyHandle handle in added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static IntPtr[] AddRefs(IReadOnlyList<KrKeyHandle> handles, List<KrKeyHandle> added)
    {
        var raw = new IntPtr[handles.Count];
        for (int i = 0; i < handles.Count; i++)
        {
            bool ok = false;
            handles[i].DangerousAddRef(ref ok);
            if (!ok)
            {
                throw new ObjectDisposedException("key");
            }

            added.Add(handles[i]);
            raw[i] = handles[i].DangerousGetHandle();
        }

        return raw;
    }
}
