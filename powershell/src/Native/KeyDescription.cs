using System.Text;

namespace KrJwt.Native;

/// <summary>What a key is, in words for verbose output (from <c>kr_key_describe</c>; never key material).</summary>
internal static class KeyDescription
{
    internal static string Summary(KrKeyHandle key)
    {
        string json = KrNative.GetString((out IntPtr p) => NativeMethods.kr_key_describe(key, out p));
        using JsonDocument document = JsonToPowerShell.Parse(json);
        JsonElement root = document.RootElement;
        string kty = JsonToPowerShell.String(root, "kty") ?? "?";
        var text = new StringBuilder("Key: ");
        text.Append(kty switch
        {
            "oct" => "shared secret",
            "RSA" => "RSA key",
            "EC" => "EC key",
            "OKP" => "OKP key",
            _ => kty + " key",
        });
        if (JsonToPowerShell.Number(root, "bits") is double bits)
        {
            text.Append(", ").Append(bits).Append(" bits");
        }

        if (JsonToPowerShell.String(root, "curve") is string curve)
        {
            text.Append(", curve ").Append(curve);
        }

        text.Append(JsonToPowerShell.Bool(root, "hasPrivateKey") ? ", with its private key" : ", public key only");
        return text.Append('.').ToString();
    }
}
