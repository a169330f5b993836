using System.Management.Automation;

namespace KrJwt.Bench
{
    /// <summary>
    /// Invoke-KrEmpty: binds one string and writes $true, nothing else. What PowerShell charges for
    /// any compiled cmdlet call (command lookup, binding, pipeline set-up, output), the floor against
    /// which the KrJwt cmdlets are measured. The value may come from the pipeline so that a pipeline
    /// of empty cmdlets can stand for a pipeline of KrJwt cmdlets.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "KrEmpty")]
    [OutputType(typeof(bool))]
    public sealed class InvokeKrEmptyCommand : PSCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowNull]
        public string? Value { get; set; }

        protected override void ProcessRecord() => WriteObject(true);
    }
}
