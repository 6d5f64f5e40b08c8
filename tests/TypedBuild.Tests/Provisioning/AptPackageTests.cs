using TypedBuild.Processes;
using TypedBuild.Provisioning;

namespace TypedBuild.Tests.Provisioning;

public sealed class AptPackageTests : IDisposable
{
    private readonly TempRoot _temp = new();

    [Fact]
    public async Task Is_present_when_the_executable_is_on_path()
    {
        var check = await new AptPackage("bash", "bash").CheckAsync(_temp.Context(isRoot: false), default);

        Assert.Equal(RequirementState.Present, check.State);
    }

    [Fact]
    public async Task Is_installable_as_root_on_debian()
    {
        var check = await new AptPackage("tb-missing-pkg", "tb-missing-exe").CheckAsync(_temp.Context(), default);

        Assert.Equal(RequirementState.Installable, check.State);
        Assert.Contains("apt-get install -y tb-missing-pkg", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Is_missing_with_the_exact_command_when_not_root()
    {
        var check = await new AptPackage("tb-missing-pkg", "tb-missing-exe").CheckAsync(_temp.Context(isRoot: false), default);

        Assert.Equal(RequirementState.Missing, check.State);
        Assert.Equal("sudo apt-get install -y tb-missing-pkg", check.InstallHint);
        Assert.Contains("not running as root", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Is_missing_off_debian_even_as_root()
    {
        var check = await new AptPackage("tb-missing-pkg", "tb-missing-exe").CheckAsync(_temp.Context(isDebian: false), default);

        Assert.Equal(RequirementState.Missing, check.State);
        Assert.Contains("not Debian", check.Detail, StringComparison.Ordinal);
        Assert.Contains("your package manager", check.InstallHint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Updates_package_lists_once_per_build_then_installs_each_package()
    {
        // The fake apt "installs" by dropping an executable into a directory on PATH.
        var bin = Directory.CreateDirectory(_temp.Root / "bin").FullName;
        Environment.SetEnvironmentVariable("PATH", $"{Environment.GetEnvironmentVariable("PATH")}{Path.PathSeparator}{bin}");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var apt = new RecordingProcessRunner((_, arguments, _) =>
        {
            if (arguments[0] == "install")
            {
                File.WriteAllText(Path.Combine(bin, $"{arguments[^1]}-exe"), "");
            }

            return new ProcessResult(0, []);
        });
        var context = _temp.Context(apt);

        await new AptPackage($"one-{suffix}", $"one-{suffix}-exe").EnsureAsync(context, default);
        await new AptPackage($"two-{suffix}", $"two-{suffix}-exe").EnsureAsync(context, default);
        await new AptPackage($"two-{suffix}", $"two-{suffix}-exe").EnsureAsync(context, default);

        Assert.Equal(
            ["apt-get update -q", $"apt-get install -y -q --no-install-recommends one-{suffix}", $"apt-get install -y -q --no-install-recommends two-{suffix}"],
            apt.CommandLines);
        Assert.All(apt.Calls, call => Assert.Equal("noninteractive", call.Options.Environment["DEBIAN_FRONTEND"]));
    }

    [Fact]
    public async Task A_user_with_passwordless_sudo_installs_through_sudo_n_with_apt_s_environment_passed_on()
    {
        var bin = Directory.CreateDirectory(_temp.Root / "bin").FullName;
        Environment.SetEnvironmentVariable("PATH", $"{Environment.GetEnvironmentVariable("PATH")}{Path.PathSeparator}{bin}");
        var package = $"sudo-{Guid.NewGuid().ToString("N")[..8]}";
        var sudo = new RecordingProcessRunner((_, arguments, _) =>
        {
            if (arguments.Contains("install"))
            {
                File.WriteAllText(Path.Combine(bin, $"{package}-exe"), "");
            }

            return new ProcessResult(0, []);
        });
        var context = _temp.Context(sudo, isRoot: false, hasPasswordlessSudo: true);

        var check = await new AptPackage(package, $"{package}-exe").CheckAsync(context, default);
        await new AptPackage(package, $"{package}-exe").EnsureAsync(context, default);

        Assert.Equal(RequirementState.Installable, check.State);
        Assert.Equal($"will run: sudo -n apt-get install -y {package}", check.Detail);
        Assert.Equal(
            ["sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -q", $"sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends {package}"],
            sudo.CommandLines);
    }

    [Theory]
    [InlineData("shellcheck", false, false, "'shellcheck' (Debian package shellcheck) is not on it")]
    [InlineData("shellcheck", true, false, null)]
    [InlineData("other", false, true, null)]
    public void A_declared_machine_meets_it_with_the_executable_or_by_installing(string onPath, bool hasExecutable, bool installs, string? unmet)
    {
        var machine = new DeclaredMachine("a job image")
        {
            Executables = new HashSet<string> { hasExecutable ? onPath : "bash" },
            InstallsDebianPackages = installs,
        };

        Assert.Equal(unmet, new AptPackage("shellcheck", "shellcheck").UnmetOn(machine));
    }

    [Fact]
    public async Task Ensure_refuses_with_the_install_command_when_it_cannot_install()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new AptPackage("tb-missing-pkg", "tb-missing-exe").EnsureAsync(_temp.Context(isRoot: false), default));

        Assert.Contains("sudo apt-get install -y tb-missing-pkg", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
