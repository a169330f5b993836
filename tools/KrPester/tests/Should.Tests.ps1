# Should's operators, each passing and failing, with and without -Not, on piped and direct input.
# Failure messages are checked only where KrPester and Pester 5 word them alike, so that this file
# passes under both.

Describe 'Should' {
    It 'passes: <Assertion>' -TestCases @(
        @{ Assertion = { 1 | Should -Be 1 } }
        @{ Assertion = { 'abc' | Should -Be 'ABC' } }
        @{ Assertion = { '1' | Should -Be 1 } }
        @{ Assertion = { @(1, 2) | Should -Be @(1, 2) } }
        @{ Assertion = { $null | Should -Be $null } }
        @{ Assertion = { Should -Be 5 -ActualValue 5 } }
        @{ Assertion = { 'abc' | Should -BeExactly 'abc' } }
        @{ Assertion = { $true | Should -BeTrue } }
        @{ Assertion = { 1 | Should -BeTrue } }
        @{ Assertion = { $false | Should -BeFalse } }
        @{ Assertion = { '' | Should -BeFalse } }
        @{ Assertion = { $null | Should -BeNullOrEmpty } }
        @{ Assertion = { '' | Should -BeNullOrEmpty } }
        @{ Assertion = { @() | Should -BeNullOrEmpty } }
        @{ Assertion = { 'x' | Should -BeOfType [string] } }
        @{ Assertion = { 1 | Should -BeOfType 'System.Int32' } }
        @{ Assertion = { [System.IO.MemoryStream]::new() | Should -BeOfType [System.IO.Stream] } }
        @{ Assertion = { 'Hello World' | Should -Match 'world' } }
        @{ Assertion = { 'abc123' | Should -Match '^[a-z]+\d+$' } }
        @{ Assertion = { @(1, 2, 3) | Should -Contain 2 } }
        @{ Assertion = { @(1, 2) | Should -HaveCount 2 } }
        @{ Assertion = { @() | Should -HaveCount 0 } }
        @{ Assertion = { 5 | Should -BeGreaterThan 4 } }
        @{ Assertion = { 1, 2, 3 | Should -BeGreaterThan 0 } }
        @{ Assertion = { 4 | Should -BeLessThan 5 } }
        @{ Assertion = { { throw 'boom' } | Should -Throw } }
        @{ Assertion = { { throw 'boom here' } | Should -Throw -ExpectedMessage 'boom*' } }
        @{ Assertion = { { throw 'boom' } | Should -Throw 'boom' } }
        @{ Assertion = { { throw [System.Management.Automation.ErrorRecord]::new([Exception]::new('m'), 'My.Id', 'InvalidData', $null) } | Should -Throw -ErrorId 'My.Id' } }
        @{ Assertion = { { [int]::Parse('x') } | Should -Throw -ExceptionType ([System.Management.Automation.MethodInvocationException]) } }
        @{ Assertion = { { 1 + 1 } | Should -Not -Throw } }
        @{ Assertion = { 1 | Should -Not -Be 2 } }
        @{ Assertion = { 'abc' | Should -Not -BeExactly 'ABC' } }
        @{ Assertion = { $false | Should -Not -BeTrue } }
        @{ Assertion = { $true | Should -Not -BeFalse } }
        @{ Assertion = { 'x' | Should -Not -BeNullOrEmpty } }
        @{ Assertion = { 1 | Should -Not -BeOfType [string] } }
        @{ Assertion = { 'abc' | Should -Not -Match 'z' } }
        @{ Assertion = { @(1) | Should -Not -Contain 2 } }
        @{ Assertion = { @(1) | Should -Not -HaveCount 2 } }
        @{ Assertion = { 1 | Should -Not -BeGreaterThan 1 } }
        @{ Assertion = { 1 | Should -Not -BeLessThan 1 } }
        @{ Assertion = { 1 | Should -Be 1 -Because 'one is one' } }
    ) {
        & $Assertion
    }

    It 'fails: <Assertion>' -TestCases @(
        @{ Assertion = { 1 | Should -Be 2 }; Message = 'Expected 2, but got 1.' }
        @{ Assertion = { 'abc' | Should -Be 'abd' }; Message = '*' }
        @{ Assertion = { @(1, 2) | Should -Be @(1, 3) }; Message = '*' }
        @{ Assertion = { 'abc' | Should -BeExactly 'ABC' }; Message = '*' }
        @{ Assertion = { $false | Should -BeTrue }; Message = 'Expected $true, but got $false.' }
        @{ Assertion = { $true | Should -BeFalse }; Message = 'Expected $false, but got $true.' }
        @{ Assertion = { 'x' | Should -BeNullOrEmpty }; Message = "Expected `$null or empty, but got *'x'*." }
        @{ Assertion = { 1 | Should -BeOfType [string] }; Message = '*to have type*string*' }
        @{ Assertion = { 'abc' | Should -Match 'z' }; Message = "Expected regular expression 'z' to match 'abc', but it did not match." }
        @{ Assertion = { @(1, 2) | Should -Contain 3 }; Message = 'Expected 3 to be found in collection @(1, 2), but it was not found.' }
        @{ Assertion = { @(1) | Should -HaveCount 2 }; Message = '*size 2*size 1*' }
        @{ Assertion = { 1 | Should -BeGreaterThan 2 }; Message = 'Expected the actual value to be greater than 2, but got 1.' }
        @{ Assertion = { 3 | Should -BeLessThan 2 }; Message = 'Expected the actual value to be less than 2, but got 3.' }
        @{ Assertion = { 1, 5 | Should -BeLessThan 3 }; Message = '*less than 3, but got 5.' }
        @{ Assertion = { { 1 } | Should -Throw }; Message = '*no exception was thrown*' }
        @{ Assertion = { { throw 'a' } | Should -Throw -ExpectedMessage 'b' }; Message = "*the message was 'a'*" }
        @{ Assertion = { { throw 'a' } | Should -Throw -ErrorId 'Other.Id' }; Message = '*FullyQualifiedErrorId*' }
        @{ Assertion = { { throw 'a' } | Should -Not -Throw }; Message = 'Expected no exception to be thrown*' }
        @{ Assertion = { 1 | Should -Not -Be 1 }; Message = 'Expected 1 to be different from the actual value, but got the same value.' }
        @{ Assertion = { $null | Should -Not -BeNullOrEmpty }; Message = 'Expected a value, but got $null or empty.' }
        @{ Assertion = { @(1, 2) | Should -Not -Contain 2 }; Message = 'Expected 2 to not be found in collection @(1, 2), but it was found.' }
        @{ Assertion = { 1 | Should -Be 2 -Because 'the reason' }; Message = '*because the reason*' }
    ) {
        $Assertion | Should -Throw -ExpectedMessage $Message
    }

    It 'rejects -Throw input that is not a script block' {
        { 'not a script block' | Should -Throw } | Should -Throw -ExceptionType ([ArgumentException])
    }

    It 'returns the error with -Throw -PassThru' {
        $record = { throw 'details' } | Should -Throw -PassThru
        $record.Exception.Message | Should -Be 'details'
    }
}
