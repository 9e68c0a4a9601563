"""Operations that change meetings and actions; each records its audit row (openqi.core.audit)."""
