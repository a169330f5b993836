using System;
using System.Management.Automation;

namespace KrJwt.Commands
{
    /// <summary>
    /// Get-KrJWTValidationParameter: validation parameters for tokens like the given result: its
    /// issuer and audiences, its verification key with the algorithm pinned, signed tokens
    /// required. A snapshot: later changes to the builder do not alter it.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KrJWTValidationParameter", DefaultParameterSetName = ResultSet)]
    [OutputType(typeof(JwtValidationParameters))]
    public sealed class GetKrJwtValidationParameterCommand : ResultCmdlet
    {
        private const string ResultSet = "Result";

        /// <summary>Tolerance for exp/nbf checks.</summary>
        [Parameter(Position = 1, ParameterSetName = ResultSet)]
        public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

        protected override void ProcessItem() => WriteObject(Result.CreateValidationParameters(ClockSkew));
    }
}
