using System;
using System.Collections.Specialized;
using System.Text.Json;
using KrJwt.Json;
using KrJwt.Native;

namespace KrJwt
{
    /// <summary>
    /// Validation parameters: an immutable handle on the library's validator (a snapshot taken
    /// when it was created). Properties come from <c>kr_validator_describe</c> and never include
    /// key material.
    /// </summary>
    public sealed class JwtValidationParameters : IDisposable
    {
        private readonly Lazy<Description> description;

        internal JwtValidationParameters(KrValidatorHandle handle)
        {
            Handle = handle;
            description = new Lazy<Description>(() => new Description(
                KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_describe(Handle, out p))));
        }

        internal KrValidatorHandle Handle { get; }

        /// <summary>Accepted issuers (empty: the issuer is not checked).</summary>
        public string[] Issuers => (string[])description.Value.Issuers.Clone();

        /// <summary>Accepted audiences (empty: the audience is not checked).</summary>
        public string[] Audiences => (string[])description.Value.Audiences.Clone();

        /// <summary>The algorithms accepted, pinned to the keys.</summary>
        public string[] Algorithms => (string[])description.Value.Algorithms.Clone();

        public TimeSpan ClockSkew => description.Value.ClockSkew;

        public bool ValidateLifetime => description.Value.ValidateLifetime;

        public bool RequireExpiration => description.Value.RequireExpiration;

        public bool ValidateIssuer => description.Value.ValidateIssuer;

        public bool ValidateAudience => description.Value.ValidateAudience;

        /// <summary>Whether unsigned tokens are refused (always, for parameters made by this module).</summary>
        public bool RequireSignedTokens => description.Value.RequireSignedTokens;

        /// <summary>The key ids of the configured keys (keys without a <c>kid</c> are left out).</summary>
        public string[] KeyIds => (string[])description.Value.KeyIds.Clone();

        /// <summary>The configured keys: kid, kty and algorithm of each (no key material).</summary>
        public OrderedDictionary[] Keys => description.Value.Keys();

        public void Dispose() => Handle.Dispose();

        /// <summary>Which checks are on, one sentence each (Get-KrJWTValidationParameter -Verbose).</summary>
        internal string[] Checks()
        {
            Description d = description.Value;
            string Quoted(string[] values) => string.Join(", ", Array.ConvertAll(values, v => $"'{v}'"));
            var keys = new System.Collections.Generic.List<string>();
            foreach (OrderedDictionary key in d.Keys())
            {
                keys.Add($"kid '{key["kid"]}' ({key["kty"]}, {key["algorithm"]})");
            }

            return new[]
            {
                $"Signature: required, verified with {keys.Count} key(s): {string.Join("; ", keys)}.",
                $"Algorithms accepted: {string.Join(", ", d.Algorithms)} (the keys' own; alg none never).",
                d.ValidateIssuer ? $"Issuer (iss): checked, one of {Quoted(d.Issuers)}." : "Issuer (iss): not checked.",
                d.ValidateAudience ? $"Audience (aud): checked, one of {Quoted(d.Audiences)}." : "Audience (aud): not checked.",
                d.ValidateLifetime
                    ? $"Lifetime (exp, nbf): checked with a clock skew of {d.ClockSkew}; exp is {(d.RequireExpiration ? "required" : "optional")}."
                    : "Lifetime (exp, nbf): not checked.",
                d.DecryptionKeyCount > 0
                    ? $"Encrypted tokens (JWE): decrypted with {d.DecryptionKeyCount} key(s)."
                    : "Encrypted tokens (JWE): refused (no decryption key).",
            };
        }

        private string? text;

        // Cached: the parameters are immutable, and PowerShell's binder calls ToString() per call.
        public override string ToString() => text ??=
            $"JwtValidationParameters iss=[{string.Join(",", Issuers)}] aud=[{string.Join(",", Audiences)}] alg=[{string.Join(",", Algorithms)}] skew={ClockSkew}";

        private sealed class Description
        {
            private readonly string keysJson;

            internal Description(string json)
            {
                using JsonDocument document = JsonToPowerShell.Parse(json);
                JsonElement root = document.RootElement;
                Issuers = JsonToPowerShell.Strings(root, "issuers");
                Audiences = JsonToPowerShell.Strings(root, "audiences");
                Algorithms = JsonToPowerShell.Strings(root, "algorithms");
                ClockSkew = TimeSpan.FromSeconds(JsonToPowerShell.Number(root, "clockSkewSeconds") ?? 0);
                ValidateLifetime = JsonToPowerShell.Bool(root, "validateLifetime", fallback: true);
                RequireExpiration = JsonToPowerShell.Bool(root, "requireExpiration", fallback: true);
                ValidateIssuer = JsonToPowerShell.Bool(root, "validateIssuer", fallback: Issuers.Length > 0);
                ValidateAudience = JsonToPowerShell.Bool(root, "validateAudience", fallback: Audiences.Length > 0);
                RequireSignedTokens = JsonToPowerShell.Bool(root, "requireSignedTokens", fallback: true);
                var kids = new System.Collections.Generic.List<string>();
                if (root.TryGetProperty("keys", out JsonElement keys) && keys.ValueKind == JsonValueKind.Array)
                {
                    keysJson = keys.GetRawText();
                    foreach (JsonElement key in keys.EnumerateArray())
                    {
                        if (JsonToPowerShell.String(key, "kid") is string kid)
                        {
                            kids.Add(kid);
                        }
                    }
                }
                else
                {
                    keysJson = "[]";
                }

                KeyIds = kids.ToArray();
                DecryptionKeyCount = root.TryGetProperty("decryptionKeys", out JsonElement decryption) && decryption.ValueKind == JsonValueKind.Array
                    ? decryption.GetArrayLength()
                    : 0;
            }

            internal string[] Issuers { get; }
            internal string[] Audiences { get; }
            internal string[] Algorithms { get; }
            internal TimeSpan ClockSkew { get; }
            internal bool ValidateLifetime { get; }
            internal bool RequireExpiration { get; }
            internal bool ValidateIssuer { get; }
            internal bool ValidateAudience { get; }
            internal bool RequireSignedTokens { get; }
            internal string[] KeyIds { get; }
            internal int DecryptionKeyCount { get; }

            // Rebuilt on each read so callers cannot alter the shared snapshot.
            internal OrderedDictionary[] Keys()
            {
                using JsonDocument document = JsonToPowerShell.Parse(keysJson);
                var result = new System.Collections.Generic.List<OrderedDictionary>();
                foreach (JsonElement key in document.RootElement.EnumerateArray())
                {
                    result.Add(JsonToPowerShell.ToDictionary(key));
                }

                return result.ToArray();
            }
        }
    }
}
