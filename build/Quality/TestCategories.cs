namespace ExampleService.Build.Quality;

/// <summary>xunit <c>Category</c> traits the targets select tests by.</summary>
public static class TestCategories
{
    /// <summary>
    /// The generated pipeline's jobs run in their own containers (gitlab-ci-local's docker executor). Left out of
    /// <c>Test</c>, because the quality job it runs is <c>Test</c> itself, and run by <c>ProveCiJobs</c>.
    /// </summary>
    public const string CiJobProof = "CiJobProof";
}
