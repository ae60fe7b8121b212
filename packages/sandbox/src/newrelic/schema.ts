/**
 * The subset of New Relic's NerdGraph schema Paved calls, with New Relic's own type and field names (checked against
 * NerdGraph's explorer): entity search and lookup with APM summaries, NRQL queries on an entity or an account, and
 * AI issues (open incidents).
 */
export const NERDGRAPH_SDL = /* GraphQL */ `
  scalar EntityGuid
  scalar Nrql
  scalar NrdbResult
  scalar EpochMilliseconds
  scalar Seconds

  type Query {
    actor: Actor
  }

  type Actor {
    user: User
    entity(guid: EntityGuid!): Entity
    entities(guids: [EntityGuid!]!): [Entity]
    entitySearch(
      query: String
      queryBuilder: EntitySearchQueryBuilder
    ): EntitySearch
    account(id: Int!): Account
  }

  type User {
    id: Int
    name: String
    email: String
  }

  input EntitySearchQueryBuilder {
    name: String
    domain: EntitySearchQueryBuilderDomain
    type: EntitySearchQueryBuilderType
    tags: [EntitySearchQueryBuilderTag]
  }

  enum EntitySearchQueryBuilderDomain {
    APM
    BROWSER
    EXT
    INFRA
    MOBILE
    SYNTH
  }

  enum EntitySearchQueryBuilderType {
    APPLICATION
    DASHBOARD
    HOST
    MONITOR
    WORKLOAD
  }

  input EntitySearchQueryBuilderTag {
    key: String!
    value: String!
  }

  type EntitySearch {
    count: Int
    query: String
    results(cursor: String): EntitySearchResult
  }

  type EntitySearchResult {
    entities: [EntityOutline]!
    nextCursor: String
  }

  enum EntityAlertSeverity {
    CRITICAL
    NOT_ALERTING
    NOT_CONFIGURED
    WARNING
  }

  enum EntityType {
    APM_APPLICATION_ENTITY
  }

  type EntityTag {
    key: String!
    values: [String]!
  }

  interface EntityOutline {
    guid: EntityGuid!
    name: String!
    accountId: Int!
    domain: String!
    type: String!
    entityType: EntityType
    permalink: String!
    reporting: Boolean
    alertSeverity: EntityAlertSeverity
    tags: [EntityTag]
  }

  type ApmApplicationEntityOutline implements EntityOutline {
    guid: EntityGuid!
    name: String!
    accountId: Int!
    domain: String!
    type: String!
    entityType: EntityType
    permalink: String!
    reporting: Boolean
    alertSeverity: EntityAlertSeverity
    tags: [EntityTag]
    applicationId: Int
    language: String
    apmSummary: ApmApplicationSummaryData
  }

  interface Entity {
    guid: EntityGuid!
    name: String!
    accountId: Int!
    domain: String!
    type: String!
    entityType: EntityType
    permalink: String!
    reporting: Boolean
    alertSeverity: EntityAlertSeverity
    tags: [EntityTag]
    nrdbQuery(nrql: Nrql!, timeout: Seconds): NrdbResultContainer
  }

  type ApmApplicationEntity implements Entity {
    guid: EntityGuid!
    name: String!
    accountId: Int!
    domain: String!
    type: String!
    entityType: EntityType
    permalink: String!
    reporting: Boolean
    alertSeverity: EntityAlertSeverity
    tags: [EntityTag]
    nrdbQuery(nrql: Nrql!, timeout: Seconds): NrdbResultContainer
    applicationId: Int
    language: String
    apmSummary: ApmApplicationSummaryData
  }

  type ApmApplicationSummaryData {
    apdexScore: Float
    errorRate: Float
    hostCount: Int
    instanceCount: Int
    nonWebResponseTimeAverage: Float
    nonWebThroughput: Float
    responseTimeAverage: Float
    throughput: Float
    webResponseTimeAverage: Float
    webThroughput: Float
  }

  type Account {
    id: Int!
    name: String
    nrql(query: Nrql!, timeout: Seconds): NrdbResultContainer
    aiIssues: AiIssuesAccountStitchedFields
  }

  type NrdbResultContainer {
    nrql: Nrql
    results: [NrdbResult]
    metadata: NrdbMetadata
  }

  type NrdbMetadata {
    timeWindow: NrdbMetadataTimeWindow
  }

  type NrdbMetadataTimeWindow {
    begin: EpochMilliseconds
    end: EpochMilliseconds
  }

  type AiIssuesAccountStitchedFields {
    issues(
      filter: AiIssuesFilterIssues
      timeWindow: TimeWindowInput
      cursor: String
    ): AiIssuesIssueData
  }

  input AiIssuesFilterIssues {
    entityGuids: [EntityGuid!]
    states: [AiIssuesIssueState!]
    priority: [String!]
  }

  input TimeWindowInput {
    startTime: EpochMilliseconds!
    endTime: EpochMilliseconds!
  }

  enum AiIssuesIssueState {
    ACTIVATED
    CLOSED
    CREATED
    DEACTIVATED
  }

  type AiIssuesIssueData {
    issues: [AiIssuesIssue]
    nextCursor: String
  }

  type AiIssuesIssue {
    issueId: ID!
    title: [String]
    description: [String]
    priority: String
    state: AiIssuesIssueState
    activatedAt: EpochMilliseconds
    createdAt: EpochMilliseconds
    entityGuids: [EntityGuid]
    entityNames: [String]
    totalIncidents: Int
  }
`;
