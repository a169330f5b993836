using System;
using System.Collections.Specialized;
using System.Text.Json;
using KrJwt.Json;

namespace KrJwt
{
    /// <summary>
    /// A public JSON Web Key as Get-KrJwk returns it: an ordered dictionary of the JWK members
    /// exactly as the library wrote them (<c>$jwk.kid</c>, <c>$jwk['n']</c>; ConvertTo-Json gives
    /// the JWK), with the JSON text in <see cref="Json"/> (also what <c>"$jwk"</c> gives).
    /// It never holds private members.
    /// </summary>
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

        /// <summary>The JWK as compact JSON text, as the library produced it.</summary>
        public string Json { get; }

        /// <summary>The key id (<c>kid</c>): the RFC 7638 thumbprint unless the key came with its own.</summary>
        public string? KeyId => base["kid"] as string;

        /// <summary>The key type (<c>kty</c>): RSA, EC or OKP.</summary>
        public string? KeyType => base["kty"] as string;

        public override string ToString() => Json;
    }
}
