using System;
using System.Collections.Specialized;
using System.Text.Json;
using KrJwt.Json;

namespace KrJwt
{
    /// <summary>What Test-KrJWT -Detailed returns: the verdict, a stable reason and the claims.</summary>
    public sealed class JwtValidationReport
    {
        private JwtValidationReport(bool isValid, KrReason reason, string message, OrderedDictionary? header, OrderedDictionary? claims)
        {
            IsValid = isValid;
            Reason = reason;
            Message = message;
            Header = header;
            Claims = claims;
        }

        public bool IsValid { get; }

        /// <summary>Why the token is (in)valid; <see cref="KrReason.Valid"/> when it is.</summary>
        public KrReason Reason { get; }

        /// <summary>The library's explanation.</summary>
        public string Message { get; }

        /// <summary>The token's JOSE header when it could be decoded, else null.</summary>
        public OrderedDictionary? Header { get; }

        /// <summary>The token's claims when it could be decoded, else null.</summary>
        public OrderedDictionary? Claims { get; }

        public override string ToString() => IsValid ? "Valid" : $"{Reason}: {Message}";

        /// <summary>Shapes the library's validation report JSON.</summary>
        internal static JwtValidationReport FromJson(string json)
        {
            using JsonDocument document = JsonToPowerShell.Parse(json);
            JsonElement root = document.RootElement;
            string reasonName = JsonToPowerShell.String(root, "reason") ?? string.Empty;
            if (!Enum.TryParse(reasonName, ignoreCase: false, out KrReason reason) || !Enum.IsDefined(typeof(KrReason), reason))
            {
                throw new KrJwtException(
                    KrStatus.InvalidJson,
                    $"The krjwt library reported the unknown validation reason '{reasonName}': the module and the library are out of step; rebuild both with ./build.sh.");
            }

            return new JwtValidationReport(
                JsonToPowerShell.Bool(root, "valid"),
                reason,
                JsonToPowerShell.String(root, "message") ?? string.Empty,
                JsonToPowerShell.DictionaryOrNull(root, "header"),
                JsonToPowerShell.DictionaryOrNull(root, "claims"));
        }
    }
}
