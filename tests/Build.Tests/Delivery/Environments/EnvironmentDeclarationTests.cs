using ExampleService.Build.Delivery;
using ExampleService.Build.Delivery.Environments;
using TypedBuild;

namespace Build.Tests.Delivery.Environments;

/// <summary>environments.json: the one declaration of the environments, and the one rule for protected ones.</summary>
public sealed class EnvironmentDeclarationTests
{
    private static EnvironmentDeclaration Repository => EnvironmentDeclaration.Load(AbsolutePath.Create(EnvironmentFiles.Root));

    [Fact]
    public void The_repository_promotes_dev_to_staging_to_an_approved_prod()
    {
        var declaration = Repository;

        Assert.Equal("dev → staging → prod (approved)", declaration.PromotionOrder);
        Assert.Equal(["develop", "main", null], declaration.Promotion.Select(e => e.Branch));
        Assert.Equal("v*", declaration.Get("prod").Tag);
        Assert.Equal([null, "dev", "staging"], declaration.Promotion.Select(e => e.PromotesFrom));
        Assert.Equal(["prod"], declaration.All.Where(e => e.Protected).Select(e => e.Name));
        Assert.Equal(["local", "kind"], declaration.Sandboxes.Select(e => e.Name));
        Assert.Empty(declaration.MissingFiles(AbsolutePath.Create(EnvironmentFiles.Root)));
    }

    [Theory]
    [InlineData("""{ "promotion": [ { "name": "dev", "profile": ".nuke/parameters.dev.json", "valuesFile": "v.yaml" } ] }""", "give exactly one trigger, \"branch\"")]
    [InlineData("""{ "promotion": [ { "name": "dev", "branch": "d", "tag": "v*", "profile": ".nuke/parameters.dev.json", "valuesFile": "v.yaml" } ] }""", "give exactly one trigger")]
    [InlineData("""{ "promotion": [ { "name": "dev", "branch": "d", "promotesFrom": "qa", "profile": ".nuke/parameters.dev.json", "valuesFile": "v.yaml" } ] }""", "first in the promotion order, so it deploys the commit's own build: drop \"promotesFrom\"")]
    [InlineData("""{ "promotion": [ { "name": "dev", "branch": "d", "profile": ".nuke/parameters.dev.json", "valuesFile": "v.yaml" }, { "name": "prod", "tag": "v*", "profile": ".nuke/parameters.prod.json", "valuesFile": "v.yaml" } ] }""", "environment 'prod': \"promotesFrom\" must be \"dev\", the environment before it in the promotion order (it is missing)")]
    [InlineData("""{ "promotion": [ { "name": "dev", "branch": "d", "profile": ".nuke/parameters.qa.json", "valuesFile": "v.yaml" } ] }""", "the profile must be .nuke/parameters.dev.json")]
    [InlineData("""{ "promotion": [ { "name": "dev", "branch": "d", "profile": ".nuke/parameters.dev.json" } ] }""", "declare its \"valuesFile\"")]
    [InlineData("""{ "promotion": [ { "name": "dev", "branch": "d", "profile": ".nuke/parameters.dev.json", "valuesFile": "v.yaml" } ], "sandboxes": [ { "name": "dev", "profile": ".nuke/parameters.dev.json" } ] }""", "environment 'dev' is declared twice")]
    [InlineData("""{ "promotion": [ { "name": "Dev", "branch": "d", "profile": ".nuke/parameters.Dev.json", "valuesFile": "v.yaml" } ] }""", "lower-case letters, digits and '-'")]
    [InlineData("""{ "promotion": [ { "name": "dev", "branch": "d", "protect": true, "profile": ".nuke/parameters.dev.json", "valuesFile": "v.yaml" } ] }""", "is not a valid environment declaration")]
    [InlineData("""{ "promotion": [] }""", "'promotion' lists no environment")]
    public void A_wrong_declaration_says_what_is_wrong(string json, string expected)
        => Assert.Contains(expected, Assert.Throws<InvalidOperationException>(() => EnvironmentDeclaration.Parse("environments.json", json)).Message, StringComparison.Ordinal);

    [Fact]
    public void The_gate_refuses_every_protected_environment_without_the_approval_and_nothing_else()
    {
        var declaration = EnvironmentDeclaration.Parse("test", """
            { "promotion": [
                { "name": "dev", "branch": "develop", "profile": ".nuke/parameters.dev.json", "valuesFile": "a.yaml" },
                { "name": "preprod", "branch": "preprod", "protected": true, "promotesFrom": "dev", "profile": ".nuke/parameters.preprod.json", "valuesFile": "b.yaml" } ] }
            """);

        var refused = Assert.Throws<InvalidOperationException>(() => DeployGateDecision.Check(declaration.Get("preprod"), "roll back", approved: false));

        Assert.Equal(
            "Refusing to roll back preprod without an approval: preprod is protected in environments.json. By hand pass --deploy-approved; CI sets DEPLOY_APPROVED=true in the jobs behind preprod's approval gate (README, 'Approvals').",
            refused.Message);
        Assert.Equal("About to roll back preprod (approved).", DeployGateDecision.Check(declaration.Get("preprod"), "roll back", approved: true));
        Assert.Equal("About to deploy to dev.", DeployGateDecision.Check(declaration.Get("dev"), "deploy to", approved: false));
    }

    [Theory]
    [InlineData(null, "Choose the environment with --env dev|staging|prod|local|kind")]
    [InlineData("qa", "--env qa is not an environment environments.json declares; use one of dev, staging, prod, local, kind, or declare it there")]
    public void An_unknown_environment_is_refused_naming_the_declared_ones(string? name, string expected)
        => Assert.Contains(expected, Assert.Throws<InvalidOperationException>(() => Repository.Get(name)).Message, StringComparison.Ordinal);

    [Fact]
    public void A_declared_environment_without_its_files_is_a_clear_error()
    {
        var root = Directory.CreateTempSubdirectory("environments-").FullName;
        try
        {
            EnvironmentFiles.CopyTo(root);
            EnvironmentFiles.AddEnvironment(root, "preprod", after: "staging", withFiles: false);
            var declaration = EnvironmentDeclaration.Load(AbsolutePath.Create(root));

            var refused = Assert.Throws<InvalidOperationException>(() => EnvironmentDeclaration.RequireFiles(AbsolutePath.Create(root), declaration.Get("preprod")));

            Assert.Contains("Cannot deploy to preprod: environment 'preprod' declares the profile .nuke/parameters.preprod.json, which does not exist", refused.Message, StringComparison.Ordinal);
            Assert.Contains("declares the values file charts/example-service/values-preprod.yaml, which does not exist", refused.Message, StringComparison.Ordinal);
            Assert.Equal(2, declaration.MissingFiles(AbsolutePath.Create(root)).Count);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
