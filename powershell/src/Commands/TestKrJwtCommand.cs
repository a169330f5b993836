using System;
using System.Management.Automation;
using KrJwt.Native;

namespace KrJwt.Commands
{
    /// <summary>
    /// Test-KrJWT: validates a token against a build result (as the reference) or validation
    /// parameters (as the guide). Returns $true/$false, or with -Detailed a report with a stable
    /// Reason. A bad token never throws: it is reported.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KrJWT", DefaultParameterSetName = ResultSet)]
    [OutputType(typeof(bool), typeof(JwtValidationReport))]
    public sealed class TestKrJwtCommand : KrJwtCmdlet
    {
        private const string ResultSet = "Result";
        private const string ValidationParameterSet = "ValidationParameter";

        [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = ResultSet)]
        public JwtBuilderResult Result { get; set; } = null!;

        [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0, ParameterSetName = ValidationParameterSet)]
        public JwtValidationParameters ValidationParameter { get; set; } = null!;

        /// <summary>The token to check. Empty or null is accepted and reported as Malformed.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyString]
        [AllowNull]
        public string? Token { get; set; }

        /// <summary>Tolerance for exp/nbf checks (Result set; validation parameters carry their own).</summary>
        [Parameter(Position = 2, ParameterSetName = ResultSet)]
        public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>Return a <see cref="JwtValidationReport"/> instead of a bool.</summary>
        [Parameter]
        [Alias("PassThru")]
        public SwitchParameter Detailed { get; set; }

        protected override object? ErrorTarget => ParameterSetName == ResultSet ? Result : ValidationParameter;

        protected override void ProcessItem()
        {
            // Repeated calls against one result reuse its validator (built once per clock skew).
            JwtValidationParameters parameters = ParameterSetName == ResultSet
                ? Result.CachedValidationParameters(ClockSkew)
                : ValidationParameter;
            string token = Token ?? string.Empty;

            if (Detailed.IsPresent)
            {
                string json = KrNative.GetString((out IntPtr p) => NativeMethods.kr_validator_validate(parameters.Handle, token, out p));
                WriteObject(JwtValidationReport.FromJson(json));
                return;
            }

            KrNative.Check(NativeMethods.kr_validator_check(parameters.Handle, token, out KrReason reason));
            WriteObject(reason == KrReason.Valid);
        }
    }
}
