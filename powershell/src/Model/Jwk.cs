namespace KrJwt;

/// <summary>
/// A public JSON Web Key as Get-KrJwk returns it: an ordered dictionary of the JWK members
/// exactly as the library wrote them (<c>$jwk.kid</c>, <c>$jwk['n']</c>; ConvertTo-Json gives
/// the JWK), with the JSON text in <see cref="Json"/> (also what <c>"$jwk"</c> gives).
/// It never holds private members.
/// </summary>
/// <remarks>
/// The dictionary's own properties (Count, Keys, Values, SyncRoot, ...) are hidden, so that
/// <c>Format-List *</c> and Get-Member show the key rather than dictionary internals; they still
/// work when named (<c>$jwk.Keys</c>).
/// </remarks>
[Serializable]
public sealed class Jwk : OrderedDictionary
{
    internal Jwk(string json)
        : base(StringComparer.Ordinal)
    {
        Json = json;
        using JsonDocument document = JsonToPowerShell.Parse(json);
        foreach (JsonProperty member in document.RootElement.EnumerateObject())
        {
            base[member.Name] = JsonToPowerShell.Convert(member.Value);
        }
    }

    /// <summary>The key type (<c>kty</c>): RSA, EC or OKP.</summary>
    public string? KeyType => base["kty"] as string;

    /// <summary>The key id (<c>kid</c>): the RFC 7638 thumbprint unless the key came with its own.</summary>
    public string? KeyId => base["kid"] as string;

    /// <summary>The curve (<c>crv</c>) of an EC or OKP key, else null.</summary>
    public string? Curve => base["crv"] as string;

    /// <summary>What the key is for (<c>use</c>: sig or enc), when the JWK says.</summary>
    public string? Use => base["use"] as string;

    /// <summary>The algorithm the key is meant for (<c>alg</c>), when the JWK says.</summary>
    public string? Algorithm => base["alg"] as string;

    /// <summary>The JWK as compact JSON text, as the library produced it.</summary>
    public string Json { get; }

    [Hidden]
    public new int Count => base.Count;

    [Hidden]
    public new bool IsReadOnly => base.IsReadOnly;

    [Hidden]
    public new ICollection Keys => base.Keys;

    [Hidden]
    public new ICollection Values => base.Values;

    [Hidden]
    public bool IsFixedSize => ((IDictionary)this).IsFixedSize;

    [Hidden]
    public object SyncRoot => ((ICollection)this).SyncRoot;

    [Hidden]
    public bool IsSynchronized => ((ICollection)this).IsSynchronized;

    public override string ToString() => Json;
}
