using System.Security.Cryptography.X509Certificates;

namespace KrJwt.Commands;

/// <summary>
/// New-KrJwks: a JWK Set document, <c>{"keys":[...]}</c>, of the public keys of everything piped
/// in, for a <c>/.well-known/jwks.json</c> route; validators made with
/// <c>Get-KrJWTValidationParameter -JwksJson</c> select the key by the token's kid, so publishing
/// the old and the new key together lets keys rotate. Inputs: builders and build results (their
/// signing keys), Jwk objects (Get-KrJwk), JWK JSON strings or hashtables, JWK Set JSON strings
/// (their keys are merged in), and certificates. Only public members are written (private JWKs
/// are reduced to their public half); the same key given twice is written once; shared secrets
/// are refused (KrJwt.InvalidKey).
/// </summary>
[Cmdlet(VerbsCommon.New, "KrJwks")]
[OutputType(typeof(string))]
public sealed class NewKrJwksCommand : KrJwtCmdlet, IDisposable
{
    private readonly List<KrKeyHandle> keys = new List<KrKeyHandle>();
    private readonly HashSet<string> seen = new HashSet<string>(StringComparer.Ordinal);
    private object? current;

    /// <summary>Builders, results, Jwk objects, JWK / JWK Set JSON, JWK hashtables or certificates.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    public object[] InputObject { get; set; } = null!;

    // Key text and hashtables may hold private keys: errors name only objects that hold none.
    protected override object? ErrorTarget => current is string || current is System.Collections.IDictionary ? null : current;

    public void Dispose()
    {
        foreach (KrKeyHandle key in keys)
        {
            key.Dispose();
        }

        keys.Clear();
    }

    protected override void ProcessItem()
    {
        foreach (object? item in InputObject)
        {
            current = item;
            Add(PSValues.Unwrap(item));
        }

        current = null;
    }

    protected override void EndProcessing()
    {
        try
        {
            IntPtr[] raw = new IntPtr[keys.Count];
            for (int i = 0; i < keys.Count; i++)
            {
                // The handles are ours and alive until Dispose; nothing frees them during the call.
                raw[i] = keys[i].DangerousGetHandle();
            }

            WriteObject(KrNative.GetString((out IntPtr p) => NativeMethods.kr_jwks_export(raw, (UIntPtr)raw.Length, out p)));
        }
        catch (KrJwtException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ex.Category, null));
        }
    }

    private void Add(object? item)
    {
        switch (item)
        {
            case null:
                throw new KrJwtException(KrStatus.InvalidArgument, "New-KrJwks was given $null; pipe builders, results, JWKs or certificates.");
            case JwtTokenBuilder builder:
                AddJwk(KrNative.GetString((out IntPtr p) => NativeMethods.kr_builder_export_public_jwk(builder.Handle, out p)));
                break;
            case JwtBuilderResult result:
                AddJwk(KrNative.GetString((out IntPtr p) => NativeMethods.kr_result_export_public_jwk(result.Handle, out p)));
                break;
            case Jwk jwk:
                AddJwk(jwk.Json);
                break;
            case X509Certificate2 certificate:
                AddKey(KeySource.FromCertificate(certificate, CertificateKey.Public));
                break;
            case string json:
                AddJson(json);
                break;
            case IDictionary dictionary:
                AddJwk(PowerShellToJson.Serialize(dictionary));
                break;
            default:
                throw new KrJwtException(
                    KrStatus.InvalidArgument,
                    $"New-KrJwks cannot take a {item.GetType().FullName}: pipe builders, build results, Get-KrJwk output, JWK or JWK Set JSON, JWK hashtables or certificates.");
        }
    }

    /// <summary>JWK JSON, or a JWK Set whose keys are merged in (the JSON is only split, each key is read by the library).</summary>
    private void AddJson(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonToPowerShell.Parse(json);
        }
        catch (JsonException)
        {
            // Let the library explain what is wrong with it.
            AddJwk(json);
            return;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("keys", out JsonElement set) && set.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement member in set.EnumerateArray())
                {
                    AddJwk(member.GetRawText());
                }

                return;
            }
        }

        AddJwk(json);
    }

    private void AddJwk(string json) => AddKey(KeyImport.FromText(KrKeyFormat.Jwk, json));

    private void AddKey(KrKeyHandle key)
    {
        try
        {
            // The public JWK identifies the key with its kid, use and alg: the same key given twice
            // (a builder and its result, a JWK piped again) is written once.
            string identity = KrNative.GetString((out IntPtr p) => NativeMethods.kr_key_export_public_jwk(key, out p));
            if (seen.Add(identity))
            {
                keys.Add(key);
                return;
            }
        }
        catch
        {
            key.Dispose();
            throw;
        }

        key.Dispose();
    }
}
