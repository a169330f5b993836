using System.Management.Automation;
using KrJwt.Completion;
using KrJwt.Native;

namespace KrJwt.Commands
{
    /// <summary>
    /// Add-KrJWTClaim: appends a claim. Values are strings as in the reference (several values of
    /// one type become a JSON array); -JsonValue is the explicit way to add a typed JSON value
    /// (number, boolean, array, object). -UserClaimType works for every member, Actor included.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "KrJWTClaim", DefaultParameterSetName = ClaimTypeSet)]
    [OutputType(typeof(JwtTokenBuilder))]
    public sealed class AddKrJwtClaimCommand : BuilderMutationCmdlet
    {
        private const string ClaimTypeSet = "ClaimType";
        private const string UserClaimTypeSet = "UserClaimType";
        private const string JsonValueSet = "JsonValue";

        [Parameter(Mandatory = true, ParameterSetName = ClaimTypeSet)]
        [Parameter(Mandatory = true, ParameterSetName = JsonValueSet)]
        [ArgumentCompleter(typeof(KrClaimTypeCompleter))]
        public string ClaimType { get; set; } = null!;

        [Parameter(Mandatory = true, ParameterSetName = UserClaimTypeSet)]
        public UserIdentityClaim UserClaimType { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ClaimTypeSet)]
        [Parameter(Mandatory = true, ParameterSetName = UserClaimTypeSet)]
        public string Value { get; set; } = null!;

        /// <summary>The claim value as JSON text, kept with its JSON type (e.g. '42', 'true', '["a","b"]').</summary>
        [Parameter(Mandatory = true, ParameterSetName = JsonValueSet)]
        public string JsonValue { get; set; } = null!;

        private protected override void Apply(KrBuilderHandle builder)
        {
            KrStatus status = ParameterSetName switch
            {
                // The library maps the member name to its claim URI (and the URI to its short name).
                UserClaimTypeSet => NativeMethods.kr_builder_add_user_claim(builder, UserClaimType.ToString(), Value),
                JsonValueSet => NativeMethods.kr_builder_add_claim_json(builder, ClaimType, JsonValue),
                _ => NativeMethods.kr_builder_add_claim(builder, ClaimType, Value),
            };
            KrNative.Check(status);
        }
    }
}
