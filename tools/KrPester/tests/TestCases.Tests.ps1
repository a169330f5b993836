# It -TestCases: one test per case, each key a variable in the test (and a parameter when the test
# declares it).

Describe 'TestCases' {
    BeforeAll {
        $seen = [System.Collections.Generic.List[string]]::new()
    }

    It 'gets <Name> as a variable' -TestCases @(
        @{ Name = 'first'; Number = 1 }
        @{ Name = 'second'; Number = 2 }
    ) {
        $Name | Should -BeIn 'first', 'second'
        $Number | Should -BeOfType [int]
        $seen.Add($Name)
    }

    It 'ran once per case, in order' {
        $seen -join ',' | Should -Be 'first,second'
    }

    It 'binds the case to a param block' -TestCases @(@{ Value = 'bound' }) {
        param([string] $Value)
        $Value | Should -Be 'bound'
    }

    It 'exposes the case as $_' -TestCases @(@{ Key = 'k' }) {
        $_.Key | Should -Be 'k'
    }

    It 'lets BeforeEach see the case variables' -TestCases @(@{ Factor = 3 }) {
        $product | Should -Be 6
    }

    BeforeEach {
        $product = if ($null -ne $Factor) { $Factor * 2 }
    }
}
