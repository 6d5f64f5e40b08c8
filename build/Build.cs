using TypedBuild;

namespace ExampleService.Build;

/// <summary>ExampleService's pipeline. One concern per <c>Build.*.cs</c> file.</summary>
partial class Build : BuildBase
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Compile);

    Target Compile => _ => _
        .Description("Restores and builds the solution")
        .Executes(() => { });
}
