-- A consolidated table 3 in its printed layout (one row per printed row, the seven applicant columns).
select 序号, row_key, 项目, 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
from v_consolidated_table3
where consolidation_key = $key
order by 序号;
